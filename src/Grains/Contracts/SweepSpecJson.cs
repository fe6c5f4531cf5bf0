using System.Globalization;
using System.Text.Json;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.IO;

namespace LearnedActivation.Grains.Contracts;

/// <summary>
/// Reads a sweep spec file (<c>--spec sweep.json</c>). Every field is optional and overrides the study's
/// default; anything not understood is an error with one line that names the file and the field:
/// <code>
/// { "id": "quick", "bases": ["tanh", "relu"], "outerSizes": ["small"], "activationSizes": ["small"],
///   "seeds": [0, 1], "arms": ["learned", "fixed"], "maxEpochs": 100, "patience": 10, "batchSize": 512,
///   "learningRate": 0.001, "torchThreads": 1, "activationEval": "grid",
///   "checkpointEvery": 1, "data": { "file": "covertype.csv.gz", "target": "target" } }
/// </code>
/// <c>"epochs"</c>, the older name of <c>"maxEpochs"</c>, is still read; a file may not give both.
/// The document is walked by hand (rather than bound to a DTO) so that each error can name the exact
/// field and element, e.g. "sweep.json: outerSizes[1]: unknown size 'huge' (expected small|medium|large)".
/// </summary>
public static class SweepSpecJson
{
    public const string DefaultId = "study";

    /// <summary>Largest spec accepted, in characters (a study's spec is well under 1 KiB; the limit keeps a huge file from being parsed at all).</summary>
    public const int MaxLength = 1 << 20;

    private static readonly string[] KnownFields =
        ["id", "bases", "outerSizes", "activationSizes", "seeds", "arms", "maxEpochs", "epochs", "patience", "batchSize", "learningRate", "torchThreads", "activationEval", "activationCurvature", "learningRateWarmup", "activationLearningRateScale", "rollbackAbove", "checkpointEvery", "data", "kind"];

    private static readonly string[] KnownDataFields = ["file", "target"];

    /// <summary>The kind of an ordinary sweep spec (also a spec without "kind").</summary>
    public const string SweepKind = "sweep";

    /// <summary>"sweep" (the default) or "multitask": which reader a spec file needs. Throws <see cref="SweepSpecException"/> on bad JSON or an unknown kind.</summary>
    public static string Kind(string json, string fileName)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = Open(json, fileName);
        return document.RootElement.ValueKind == JsonValueKind.Object ? KindOf(document.RootElement, new Reader(fileName)) : SweepKind;
    }

    internal static string KindOf(JsonElement root, Reader r)
    {
        if (!root.TryGetProperty("kind", out var kind))
        {
            return SweepKind;
        }

        var text = r.String(kind, "kind");
        return text is SweepKind or MultitaskSpecJson.Kind ? text : throw r.Error("kind", $"unknown kind {Excerpt.Quote(text)} (expected {SweepKind}|{MultitaskSpecJson.Kind})");
    }

    /// <summary>Parses a spec's JSON, with the size limit and a one-line error.</summary>
    internal static JsonDocument Open(string json, string fileName)
    {
        if (json.Length > MaxLength)
        {
            throw new SweepSpecException(string.Create(CultureInfo.InvariantCulture, $"{fileName}: larger than {MaxLength} characters, the limit for a spec"));
        }

        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}" : string.Empty;
            throw new SweepSpecException($"{fileName}: not valid JSON{where}");
        }
    }

    /// <summary>Parses and validates; throws <see cref="SweepSpecException"/> with a one-line message.</summary>
    /// <param name="json">The file's text.</param>
    /// <param name="fileName">Named in error messages.</param>
    /// <param name="defaultId">Sweep id when the file has none.</param>
    public static SweepSpec Parse(string json, string fileName, string defaultId = DefaultId)
    {
        ArgumentNullException.ThrowIfNull(json);
        var document = Open(json, fileName);
        using (document)
        {
            return Read(document.RootElement, new Reader(fileName), defaultId);
        }
    }

    private static SweepSpec Read(JsonElement root, Reader r, string defaultId)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw r.Error("(root)", "must be a JSON object");
        }

        // Before the unknown-field check: a multitask spec's fields are not a sweep's, and "kind" says why.
        if (KindOf(root, r) != SweepKind)
        {
            throw r.Error("kind", $"a '{KindOf(root, r)}' spec is read by its own reader (MultitaskSpecJson), not as a sweep");
        }

        r.RejectUnknown(root, KnownFields, prefix: string.Empty);

        var study = SweepSpec.Default(defaultId);
        var id = root.TryGetProperty("id", out var idElement) ? r.String(idElement, "id") : defaultId;

        var axes = new SweepAxes(
            r.List(root, "bases", study.Axes.Bases, (e, path) => r.Enum<BaseActivation>(e, path, "base")),
            r.List(root, "outerSizes", study.Axes.OuterSizes, (e, path) => r.Enum<SizePreset>(e, path, "size")),
            r.List(root, "activationSizes", study.Axes.ActivationSizes, (e, path) => r.Enum<SizePreset>(e, path, "size")),
            r.List(root, "seeds", study.Axes.Seeds, (e, path) => r.Seed(e, path)))
        {
            Arms = r.List(root, "arms", study.Axes.Arms, (e, path) => r.Enum<StudyArm>(e, path, "arm")),
        };

        var budget = ReadBudget(root, r, study.Budget);

        var data = study.Data;
        if (root.TryGetProperty("data", out var dataElement))
        {
            if (dataElement.ValueKind != JsonValueKind.Object)
            {
                throw r.Error("data", "must be an object with \"file\" and \"target\"");
            }

            r.RejectUnknown(dataElement, KnownDataFields, prefix: "data.");
            var file = dataElement.TryGetProperty("file", out var f) ? r.String(f, "data.file") : null;
            var target = dataElement.TryGetProperty("target", out var t) ? r.String(t, "data.target") : null;
            data = new DataSpec(file, target);
        }

        var spec = new SweepSpec(id, axes, budget, data, r.PositiveInt(root, "checkpointEvery", study.CheckpointEvery));
        if (SweepSpecValidator.FirstError(spec) is { } error)
        {
            throw new SweepSpecException($"{r.FileName}: {error}");
        }

        return spec;
    }

    /// <summary>maxEpochs (or "epochs"), batchSize, learningRate, torchThreads, activationEval, patience, activationCurvature, learningRateWarmup, activationLearningRateScale, rollbackAbove: each optional over <paramref name="fallback"/>.</summary>
    internal static TrainingBudget ReadBudget(JsonElement root, Reader r, TrainingBudget fallback)
    {
        if (root.TryGetProperty("maxEpochs", out _) && root.TryGetProperty("epochs", out _))
        {
            throw r.Error("epochs", "give either \"maxEpochs\" or its older name \"epochs\", not both");
        }

        var budget = new TrainingBudget(
            r.PositiveInt(root, root.TryGetProperty("epochs", out _) ? "epochs" : "maxEpochs", fallback.Epochs),
            r.PositiveInt(root, "batchSize", fallback.BatchSize),
            r.PositiveDouble(root, "learningRate", fallback.LearningRate),
            r.PositiveInt(root, "torchThreads", fallback.TorchThreads),
            root.TryGetProperty("activationEval", out var evalElement)
                ? r.Enum<ActivationEvaluation>(evalElement, "activationEval", "activation evaluation")
                : fallback.ActivationEval,
            r.PositiveInt(root, "patience", fallback.Patience),
            r.NonNegativeDouble(root, "activationCurvature", fallback.ActivationCurvature),
            r.NonNegativeDouble(root, "learningRateWarmup", fallback.LearningRateWarmup),
            r.PositiveDouble(root, "activationLearningRateScale", fallback.ActivationLearningRateScale),
            r.NonNegativeDouble(root, "rollbackAbove", fallback.RollbackAbove));

        return budget;
    }

    /// <summary>Reads fields with one-line errors naming the file and the field; shared with <see cref="MultitaskSpecJson"/>.</summary>
    internal sealed class Reader(string fileName)
    {
        public string FileName => fileName;

        public SweepSpecException Error(string field, string problem) => new($"{fileName}: {field}: {problem}");

        public void RejectUnknown(JsonElement obj, string[] known, string prefix)
        {
            foreach (var property in obj.EnumerateObject())
            {
                if (!known.Contains(property.Name, StringComparer.Ordinal))
                {
                    throw new SweepSpecException($"{fileName}: {prefix}{property.Name}: unknown field (expected one of {string.Join(", ", known)})");
                }
            }
        }

        public string String(JsonElement e, string path) =>
            e.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(e.GetString())
                ? e.GetString()!
                : throw Error(path, $"must be a non-empty string (got {Show(e)})");

        public IReadOnlyList<T> List<T>(JsonElement root, string field, IReadOnlyList<T> fallback, Func<JsonElement, string, T> item)
        {
            if (!root.TryGetProperty(field, out var array))
            {
                return fallback;
            }

            if (array.ValueKind != JsonValueKind.Array)
            {
                throw Error(field, $"must be a list (got {Show(array)})");
            }

            if (array.GetArrayLength() == 0)
            {
                throw Error(field, "must not be empty");
            }

            // One axis alone may not exceed the sweep's run limit; checked before anything is read from it.
            if (array.GetArrayLength() > SweepSpecValidator.MaxRuns)
            {
                throw Error(field, string.Create(CultureInfo.InvariantCulture, $"{array.GetArrayLength()} values, more than the limit of {SweepSpecValidator.MaxRuns} runs in a sweep"));
            }

            var values = new List<T>();
            var seen = new HashSet<T>();
            var index = 0;
            foreach (var element in array.EnumerateArray())
            {
                var path = $"{field}[{index++}]";
                var value = item(element, path);
                // A set, not the list: a spec may list many thousands of seeds.
                if (!seen.Add(value))
                {
                    throw Error(path, $"duplicate {Show(element)}");
                }

                values.Add(value);
            }

            return values;
        }

        public T Enum<T>(JsonElement e, string path, string what)
            where T : struct, System.Enum
        {
            var text = e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            return text is not null && text.Trim() == text && Names.TryParse(text, out T? value)
                ? value.Value
                : throw Error(path, $"unknown {what} {Show(e)} (expected {Names.Accepted<T>()})");
        }

        public long Seed(JsonElement e, string path) =>
            e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var seed) && seed >= 0
                ? seed
                : throw Error(path, $"must be a non-negative integer (got {Show(e)})");

        public int PositiveInt(JsonElement root, string field, int fallback)
        {
            if (!root.TryGetProperty(field, out var e))
            {
                return fallback;
            }

            return e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var value) && value > 0
                ? value
                : throw Error(field, $"must be a positive integer (got {Show(e)})");
        }

        public double PositiveDouble(JsonElement root, string field, double fallback)
        {
            if (!root.TryGetProperty(field, out var e))
            {
                return fallback;
            }

            return e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out var value) && value > 0 && double.IsFinite(value)
                ? value
                : throw Error(field, $"must be a positive number (got {Show(e)})");
        }

        public double NonNegativeDouble(JsonElement root, string field, double fallback)
        {
            if (!root.TryGetProperty(field, out var e))
            {
                return fallback;
            }

            return e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out var value) && value >= 0 && double.IsFinite(value)
                ? value
                : throw Error(field, $"must be a non-negative number (got {Show(e)})");
        }

        private static string Show(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.String => Excerpt.Quote(e.GetString()),
            JsonValueKind.Number => e.GetRawText() is { Length: <= Excerpt.DefaultLength } raw ? raw : Excerpt.Quote(e.GetRawText()),
            JsonValueKind.Array => "a list",
            JsonValueKind.Object => "an object",
            _ => e.ValueKind.ToString().ToLower(CultureInfo.InvariantCulture),
        };
    }
}

/// <summary>A sweep spec that cannot be used; the message is one line naming the source and the field.</summary>
public sealed class SweepSpecException : Exception
{
    public SweepSpecException(string message)
        : base(message)
    {
    }

    public SweepSpecException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SweepSpecException()
    {
    }
}
