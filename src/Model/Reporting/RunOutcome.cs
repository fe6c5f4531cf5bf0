using System.Text.Json.Serialization;

namespace LearnedActivation.Model.Reporting;

/// <summary>How a run of a sweep ended, as far as the report is concerned.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunOutcome>))]
public enum RunOutcome
{
    /// <summary>Trained to the end; metrics and the learned function are present.</summary>
    Completed,

    /// <summary>Stopped by an error (see <see cref="RunSummary.Error"/>); partial curves may be present.</summary>
    Failed,

    /// <summary>Stopped on request before the end.</summary>
    Cancelled,

    /// <summary>Expected by the sweep but nothing was reported for it.</summary>
    Missing,
}
