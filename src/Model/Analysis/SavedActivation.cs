using System.Collections;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Networks;
using LearnedActivation.Model.Outputs;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Analysis;

/// <summary>
/// A learned activation read back from what a run saved: a run folder (its metrics.json and activation.dat), or one
/// of the weight files (<c>.dat</c>, <c>.pt</c>, <c>.safetensors</c>). A metrics.json beside the file gives the base,
/// the widths and the recorded pre-activations; without one, a <c>.pt</c> or <c>.safetensors</c> file gives its
/// widths itself and the base must be named (a TorchSharp <c>.dat</c> cannot be read without knowing its widths).
/// </summary>
public sealed class SavedActivation : IDisposable
{
    private SavedActivation(ActivationNetwork network, PreActivationStats? pooled, string weights)
    {
        Network = network;
        Pooled = pooled;
        Weights = weights;
    }

    public ActivationNetwork Network { get; }

    /// <summary>The pooled pre-activations the run recorded; null when there is no metrics.json or it predates them.</summary>
    public PreActivationStats? Pooled { get; }

    /// <summary>The weight file read.</summary>
    public string Weights { get; }

    /// <exception cref="InvalidDataException">The path, the files or the base do not give an activation (one-line message).</exception>
    public static SavedActivation Load(string path, BaseActivation? baseActivation = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var weights = Directory.Exists(path) ? Path.Combine(path, RunOutputWriter.ActivationWeightsFile) : path;
        if (!File.Exists(weights))
        {
            throw new InvalidDataException(Directory.Exists(path) ? $"'{path}' holds no {RunOutputWriter.ActivationWeightsFile}: not a run folder" : $"'{path}' does not exist");
        }

        var extension = Path.GetExtension(weights).ToLowerInvariant();
        if (extension is not (".dat" or ".pt" or ".safetensors"))
        {
            throw new InvalidDataException($"'{path}' is not an activation's weights (expected a run folder, .dat, .pt or .safetensors)");
        }

        var metricsFile = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(weights))!, RunOutputWriter.MetricsFile);
        var metrics = File.Exists(metricsFile) ? ReadMetrics(metricsFile) : null;
        var chosenBase = baseActivation
            ?? (metrics is null
                ? throw new InvalidDataException($"'{path}' has no {RunOutputWriter.MetricsFile} beside it: name its base with --base")
                : ParseBase(metrics.Base, metricsFile));
        var hidden = metrics?.ActivationHidden
            ?? (extension == ".dat"
                ? throw new InvalidDataException($"'{path}' has no {RunOutputWriter.MetricsFile} beside it to give its widths: analyse the .pt or .safetensors copy")
                : WidthsOf(weights, extension));

        var network = new ActivationNetwork(hidden, chosenBase);
        try
        {
            switch (extension)
            {
                case ".dat":
                    network.load(weights, strict: true);
                    break;
                case ".pt":
                    network.load_py(weights, strict: true);
                    break;
                default:
                    network.load_safetensors(weights, strict: true);
                    break;
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            network.Dispose();
            throw new InvalidDataException($"'{weights}' does not hold an activation network of widths [{string.Join(", ", hidden)}]: {e.Message}", e);
        }

        return new SavedActivation(network, metrics?.PreActivations?.Pooled, weights);
    }

    public void Dispose() => Network.Dispose();

    private static RunMetricsDocument ReadMetrics(string file)
    {
        try
        {
            return RunMetricsDocument.FromJson(File.ReadAllText(file));
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or NotSupportedException or ArgumentException)
        {
            throw new InvalidDataException($"'{file}' is not a run's metrics: {e.Message}", e);
        }
    }

    private static BaseActivation ParseBase(string name, string file) =>
        Names.TryParse(name, out BaseActivation? value) ? value.Value : throw new InvalidDataException($"'{file}' names an unknown base '{name}'");

    /// <summary>The hidden widths of the state dict's <c>layers.{i}.weight</c> shapes ([out, in]).</summary>
    private static int[] WidthsOf(string file, string extension)
    {
        Dictionary<string, long[]> shapes;
        try
        {
            using var stream = File.OpenRead(file);
            using var scope = NewDisposeScope();
            shapes = extension == ".pt"
                ? PyTorchUnpickler.UnpickleStateDict(stream).Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => ((Tensor)e.Value!).shape)
                : Safetensors.LoadStateDict(stream).ToDictionary(e => e.Key, e => e.Value.shape);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"'{file}' is not a readable state dict: {e.Message}", e);
        }

        var layers = new List<long[]>();
        while (shapes.TryGetValue($"layers.{layers.Count}.weight", out var shape))
        {
            layers.Add(shape);
        }

        if (layers.Count == 0 || layers.Any(s => s.Length != 2) || layers[0][1] != 1 || layers[^1][0] != 1)
        {
            throw new InvalidDataException($"'{file}' is not an activation network 1 -> ... -> 1 (keys layers.{{i}}.weight)");
        }

        return [.. layers.SkipLast(1).Select(s => (int)s[0])];
    }
}
