using System.Text.Json.Nodes;
using LearnedActivation.Client.Tests.Support;

namespace LearnedActivation.Client.Tests;

/// <summary>
/// A sweep spec the CLI cannot run is the user's input problem: exit code 2, one line that names the field to
/// fix, and nothing stored (no sweep that a later run with the corrected spec would clash with).
/// </summary>
[Collection(SweepProcessGroup.Name)]
public sealed class BadSweepSpecExitsWithCodeTwo : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    private readonly TempDirectory _work = new();
    private readonly IReadOnlyDictionary<string, string> _ports = SiloPorts.FreshEnvironment();

    /// <summary>Real, readable data: what is wrong in each test is the field it changes, nothing else.</summary>
    private readonly string _data;

    public BadSweepSpecExitsWithCodeTwo() => _data = CovertypeSample.Write(_work.File("covertype.csv"), 200);

    public void Dispose() => _work.Dispose();

    [Theory]
    [InlineData("bases", """["tanh", "swish"]""", "bases[1]", "swish")]
    [InlineData("outerSizes", """["small", "huge"]""", "outerSizes[1]", "huge")]
    [InlineData("activationSizes", "[]", "activationSizes", "empty")]
    [InlineData("epochs", "0", "epochs", "0")]
    [InlineData("epochz", "3", "epochz", "unknown field")]
    [InlineData("arms", """["learned", "bogus"]""", "arms[1]", "bogus")]
    [InlineData("patience", "0", "patience", "0")]
    public async Task InvalidFieldIsOneLineNamingIt(string field, string json, string named, string problem)
    {
        var spec = ValidSpec();
        spec[field] = JsonNode.Parse(json);
        File.WriteAllText(_work.File("bad.json"), spec.ToJsonString());

        var result = await LearnactProcess.RunAsync(_work.Path, Timeout, _ports, "sweep", "--spec", "bad.json");

        var line = ErrorOutput.AssertBadInput(result.ExitCode, result.Lines, result.ToString());
        Assert.Contains(named, line, StringComparison.Ordinal);
        Assert.Contains(problem, line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_work.File(Path.Combine("runs", "bad"))), "a rejected spec must not create the sweep in the store");
    }

    [Fact]
    public async Task MissingDataFileIsOneLineNamingTheFile()
    {
        var missing = _work.File("no-such-data.csv");
        var spec = ValidSpec();
        spec["data"]!["file"] = missing;
        File.WriteAllText(_work.File("bad.json"), spec.ToJsonString());

        var result = await LearnactProcess.RunAsync(_work.Path, Timeout, _ports, "sweep", "--spec", "bad.json");

        var line = ErrorOutput.AssertBadInput(result.ExitCode, result.Lines, result.ToString());
        Assert.Contains(missing, line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_work.File(Path.Combine("runs", "bad"))), "a sweep whose data cannot be read must not be created in the store");
    }

    private JsonObject ValidSpec() => new()
    {
        ["id"] = "bad",
        ["bases"] = new JsonArray("tanh"),
        ["outerSizes"] = new JsonArray("small"),
        ["activationSizes"] = new JsonArray("small"),
        ["seeds"] = new JsonArray(0),
        ["epochs"] = 1,
        ["data"] = new JsonObject { ["file"] = _data, ["target"] = CovertypeSample.Target },
    };
}
