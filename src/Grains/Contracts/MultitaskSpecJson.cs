using System.Text.Json;
using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Grains.Contracts;

/// <summary>
/// Reads a multitask spec, with the same one-line errors as <see cref="SweepSpecJson"/>:
/// <code>
/// { "kind": "multitask", "id": "loo-california",
///   "tasks": [ { "file": "covertype.csv.gz", "target": "target" }, { "file": "electricity.csv.gz", "target": "class" } ],
///   "holdout": { "file": "california.csv.gz", "target": "price_above_median" },
///   "bases": ["tanh"], "outerSizes": ["small"], "activationSizes": ["small"], "seeds": [0, 1, 2],
///   "maxEpochs": 20, "patience": 5, "batchSize": 512, "learningRate": 0.001, "checkpointEvery": 1 }
/// </code>
/// At least two tasks; no task twice; the holdout is none of the tasks (same file and target).
/// </summary>
public static class MultitaskSpecJson
{
    public const string Kind = "multitask";

    private static readonly string[] KnownFields =
        ["id", "kind", "tasks", "holdout", "bases", "outerSizes", "activationSizes", "seeds", "maxEpochs", "epochs", "patience", "batchSize", "learningRate", "torchThreads", "activationEval", "activationCurvature", "learningRateWarmup", "activationLearningRateScale", "rollbackAbove", "checkpointEvery"];

    private static readonly string[] KnownTaskFields = ["file", "target"];

    /// <summary>Parses and validates; throws <see cref="SweepSpecException"/> with a one-line message.</summary>
    public static MultitaskSpec Parse(string json, string fileName, string defaultId = SweepSpecJson.DefaultId)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = SweepSpecJson.Open(json, fileName);
        var root = document.RootElement;
        var r = new SweepSpecJson.Reader(fileName);
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw r.Error("(root)", "must be a JSON object");
        }

        r.RejectUnknown(root, KnownFields, prefix: string.Empty);
        if (SweepSpecJson.KindOf(root, r) != Kind)
        {
            throw r.Error("kind", $"must be \"{Kind}\" for a multitask spec");
        }

        var study = SweepSpec.Default(defaultId);
        var id = root.TryGetProperty("id", out var idElement) ? r.String(idElement, "id") : defaultId;
        var axes = new SweepAxes(
            r.List(root, "bases", [ModelConfig.DefaultBase], (e, path) => r.Enum<BaseActivation>(e, path, "base")),
            r.List(root, "outerSizes", [ModelConfig.DefaultSize], (e, path) => r.Enum<SizePreset>(e, path, "size")),
            r.List(root, "activationSizes", [ModelConfig.DefaultSize], (e, path) => r.Enum<SizePreset>(e, path, "size")),
            r.List(root, "seeds", study.Axes.Seeds, (e, path) => r.Seed(e, path)));
        var budget = SweepSpecJson.ReadBudget(root, r, study.Budget);

        if (!root.TryGetProperty("tasks", out var tasksElement))
        {
            throw r.Error("tasks", "required: the list of training tasks, each {\"file\", \"target\"}");
        }

        var tasks = r.List(root, "tasks", [], (e, path) => Task(r, e, path));
        if (tasks.Count < 2)
        {
            throw r.Error("tasks", $"needs at least two tasks (got {tasks.Count}); one task is a learned run");
        }

        if (!root.TryGetProperty("holdout", out var holdoutElement))
        {
            throw r.Error("holdout", "required: the held-out task, {\"file\", \"target\"}");
        }

        var holdout = Task(r, holdoutElement, "holdout");
        var index = tasks.ToList().IndexOf(holdout);
        if (index >= 0)
        {
            throw r.Error("holdout", $"is also tasks[{index}]; the held-out task must stay out of the joint training");
        }

        var spec = new MultitaskSpec(id, axes, budget, tasks, holdout, r.PositiveInt(root, "checkpointEvery", study.CheckpointEvery));
        if (FirstError(spec) is { } error)
        {
            throw new SweepSpecException($"{fileName}: {error}");
        }

        return spec;
    }

    /// <summary>The sweep rules, checked on the sweep that runs the spec (<see cref="MultitaskSpec.ToSweep"/>).</summary>
    public static string? FirstError(MultitaskSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return SweepSpecValidator.FirstError(spec.ToSweep());
    }

    private static DataSpec Task(SweepSpecJson.Reader r, JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw r.Error(path, "must be an object with \"file\" and \"target\"");
        }

        r.RejectUnknown(e, KnownTaskFields, prefix: $"{path}.");
        if (!e.TryGetProperty("file", out var file))
        {
            throw r.Error($"{path}.file", "required");
        }

        if (!e.TryGetProperty("target", out var target))
        {
            throw r.Error($"{path}.target", "required");
        }

        return new DataSpec(r.String(file, $"{path}.file"), r.String(target, $"{path}.target"));
    }
}
