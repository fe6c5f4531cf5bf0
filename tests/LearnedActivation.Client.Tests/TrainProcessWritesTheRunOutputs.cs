using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LearnedActivation.Client.Cli;
using LearnedActivation.Client.Tests.Support;

namespace LearnedActivation.Client.Tests;

/// <summary>
/// End to end: the built <c>learnact</c> run as a process, as a user or a script runs it, on real covertype rows
/// (<see cref="CovertypeSampleFixture.Rows"/>) for 2 epochs. What the user relies on is the exit code and the files in --out.
/// </summary>
public sealed class TrainProcessWritesTheRunOutputs(CovertypeSampleFixture sample) : IClassFixture<CovertypeSampleFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task TrainExitsZeroAndWritesPlotsWeightsAndMetrics()
    {
        var work = sample.NewFolder("train");
        var outDir = Path.Combine(work, "out");

        var result = await LearnactProcess.RunAsync(work, Timeout, "train", "--base", "relu", "--outer", "small", "--act", "medium", "--epochs", "2", "--data", sample.DataFile, "--target", CovertypeSample.Target, "--out", outDir);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());

        // The activation graph keeps the original study's file name, built from the options.
        PngFile.AssertValid(Path.Combine(outDir, "tab_classification_covertype_relu_small_medium.png"), 800, 600);
        PngFile.AssertValid(Path.Combine(outDir, "learning_curve.png"), 800, 600);

        AssertNonEmpty(Path.Combine(outDir, "activation.dat"));
        AssertZip(Path.Combine(outDir, "activation.pt"));
        AssertSafetensors(Path.Combine(outDir, "activation.safetensors"));

        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")));
        var root = metrics.RootElement;
        Assert.Equal("relu_small_medium", root.GetProperty("config").GetString());
        Assert.Equal(2, root.GetProperty("train").GetProperty("epochs").GetInt32());
        var history = root.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal([1, 2], history.Select(h => h.GetProperty("epoch").GetInt32()));
        Assert.All(history, h => Assert.True(double.IsFinite(h.GetProperty("trainLoss").GetDouble()), "train loss must be finite"));

        // Better than a coin and, by a margin, than always answering the majority class: the network learned.
        var testAccuracy = root.GetProperty("testAccuracy").GetDouble();
        Assert.InRange(testAccuracy, 0.5 + 1e-9, 1.0);
        Assert.True(testAccuracy > sample.MajorityRate + 0.05, $"test accuracy {testAccuracy:0.0000} is not clearly above the majority rate {sample.MajorityRate:0.0000}");

        var data = root.GetProperty("data");
        Assert.Equal(10, data.GetProperty("features").GetInt32());
        Assert.Equal(CovertypeSampleFixture.Rows, data.GetProperty("trainRows").GetInt32() + data.GetProperty("validationRows").GetInt32() + data.GetProperty("testRows").GetInt32());

        // The human summary names the test accuracy the file holds.
        Assert.Contains(testAccuracy.ToString("0.0000", CultureInfo.InvariantCulture), result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTrainingOptionsReachTheRun()
    {
        var work = sample.NewFolder("options");
        var outDir = Path.Combine(work, "out");

        var result = await LearnactProcess.RunAsync(
            work, Timeout, "train", "--epochs", "1", "--data", sample.DataFile, "--target", CovertypeSample.Target, "--out", outDir,
            "--batch-size", "256", "--learning-rate", "0.003", "--lr-warmup", "0.5", "--rollback-above", "0", "--activation-lr-scale", "0.25", "--activation-curvature", "0.02");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")));
        var train = metrics.RootElement.GetProperty("train");
        Assert.Equal(256, train.GetProperty("batchSize").GetInt32());
        Assert.Equal(0.003, train.GetProperty("learningRate").GetDouble());
        Assert.Equal(0.5, train.GetProperty("learningRateWarmup").GetDouble());
        Assert.Equal(0, train.GetProperty("rollbackAbove").GetDouble());
        Assert.Equal(0.25, train.GetProperty("activationLearningRateScale").GetDouble());
        Assert.Equal(0.02, train.GetProperty("activationCurvature").GetDouble());
    }

    [Fact]
    public async Task JsonOptionPrintsOnlyJsonOnStdout()
    {
        var work = sample.NewFolder("json");
        var outDir = Path.Combine(work, "out");

        var result = await LearnactProcess.RunAsync(work, Timeout, "train", "--epochs", "2", "--data", sample.DataFile, "--target", CovertypeSample.Target, "--out", outDir, "--json");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(result.StandardOutput);
        }
        catch (JsonException e)
        {
            Assert.Fail($"stdout of --json is not JSON ({e.Message}); {result}");
            throw;
        }

        using (json)
        {
            using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")));
            var printed = json.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.OrdinalIgnoreCase);
            Assert.Equal(metrics.RootElement.GetProperty("testAccuracy").GetDouble(), printed["testAccuracy"].GetDouble());
            Assert.Equal("tanh_small_small", printed["config"].GetString());
        }
    }

    private static void AssertNonEmpty(string path)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        Assert.True(new FileInfo(path).Length > 0, $"{path} is empty");
    }

    /// <summary>PyTorch's torch.save format is a zip archive.</summary>
    private static void AssertZip(string path)
    {
        AssertNonEmpty(path);
        var head = new byte[4];
        using (var file = File.OpenRead(path))
        {
            file.ReadExactly(head);
        }

        Assert.Equal("PK\u0003\u0004"u8.ToArray(), head);
    }

    /// <summary>safetensors: an 8-byte little-endian header length, then a JSON header naming the tensors.</summary>
    private static void AssertSafetensors(string path)
    {
        AssertNonEmpty(path);
        var bytes = File.ReadAllBytes(path);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(0, 8));
        Assert.InRange(headerLength, 2, bytes.Length - 8);
        using var header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, headerLength));
        Assert.Contains(header.RootElement.EnumerateObject(), p => p.Name != "__metadata__");
    }
}
