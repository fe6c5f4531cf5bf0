using System.Text.Json;
using System.Text.Json.Serialization;
using LearnedActivation.Model.Analysis;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Data;
using LearnedActivation.Model.Training;

namespace LearnedActivation.Model.Outputs;

/// <summary>
/// The content of a run's <c>metrics.json</c>: what was trained, on what, and how it did. Enums are written by
/// name (<c>"activationEval": "grid"</c>); files written before that hold numbers, which are still read.
/// <c>preactivations</c> and <c>analysis</c> are absent (null) in files written before they existed; <c>analysis</c>
/// is null in the fixed arms, which have no activation network, and <c>warmStartFitError</c> unless the arm is warm.
/// <c>outerHidden</c> is the widths the run's network had (fixed-wide: widened).
/// </summary>
public sealed record RunMetricsDocument(
    string Config,
    string Base,
    string Outer,
    string Activation,
    IReadOnlyList<int> OuterHidden,
    IReadOnlyList<int> ActivationHidden,
    TrainConfig Train,
    string SpecHash,
    RunMetricsDocument.DataInfo Data,
    int BestEpoch,
    double BestValAccuracy,
    double TestLoss,
    double TestAccuracy,
    double TestAuc,
    double TrainingSeconds,
    IReadOnlyList<RunMetricsDocument.EpochRow> History,
    [property: JsonPropertyName("preactivations")] PreActivationDistribution? PreActivations = null,
    ActivationAnalysis? Analysis = null,
    StudyArm Arm = StudyArms.Default,
    long? OuterParameters = null,
    long? ActivationParameters = null,
    double? TrainAccuracy = null,
    double? WarmStartFitError = null,
    bool? StoppedEarly = null,
    IReadOnlyList<int>? Rollbacks = null)
{
    /// <summary>How metrics.json is written (camelCase, enums by name); also for printing parts of it.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(Names.JsonPolicy, allowIntegerValues: true) },
    };

    public static RunMetricsDocument From(RunSpec spec, RunResult result, DataInfo data)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(data);
        var model = spec.Model;
        return new RunMetricsDocument(
            model.Name,
            Names.Of(model.Base),
            Names.Of(model.Outer),
            Names.Of(model.Activation),
            model.OuterHiddenFor(data.Features),
            model.ActivationHidden,
            spec.Train,
            result.SpecHash,
            data,
            result.BestEpoch,
            result.BestValAccuracy,
            result.TestLoss,
            result.TestAccuracy,
            result.TestAuc,
            result.TrainingTime.TotalSeconds,
            [.. result.History.Select(m => new EpochRow(m.Epoch, m.TrainLoss, m.ValLoss, m.ValAccuracy, m.ValAuc, m.Elapsed.TotalSeconds))],
            result.PreActivations,
            result.Analysis,
            model.Arm,
            result.Parameters.Outer,
            result.Parameters.Activation,
            result.TrainAccuracy,
            result.WarmStartFitError,
            result.StoppedEarly,
            result.Rollbacks);
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static RunMetricsDocument FromJson(string json) =>
        JsonSerializer.Deserialize<RunMetricsDocument>(json, JsonOptions) ?? throw new JsonException("metrics.json is empty");

    /// <summary>Where the data came from and how it was split.</summary>
    public sealed record DataInfo(string Source, string ContentHash, string Target, string LabelMapping, int Features, int TrainRows, int ValidationRows, int TestRows)
    {
        public static DataInfo From(DataSplits splits, string contentHash)
        {
            ArgumentNullException.ThrowIfNull(splits);
            var train = splits.Train;
            return new DataInfo(train.Source, contentHash, train.TargetName, train.Mapping.ToString(), train.Width, train.Rows, splits.Validation.Rows, splits.Test.Rows);
        }
    }

    public sealed record EpochRow(int Epoch, double TrainLoss, double ValLoss, double ValAccuracy, double ValAuc, double Seconds);
}
