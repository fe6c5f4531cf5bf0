namespace LearnedActivation.Silo.Dashboard;

/// <summary>What /api/sweeps lists: one line per sweep.</summary>
public sealed record SweepSummaryView(string Id, string Phase, int Runs, int Queued, int Running, int Completed, int Failed, int Cancelled);

/// <summary>What /api/sweeps/{id} returns and the page draws.</summary>
public sealed record SweepView(
    string Id,
    string Phase,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? AssemblyError,
    string? StorageError,
    SweepSummaryView Totals,
    IReadOnlyList<RunView> Runs,
    IReadOnlyList<SiloView> Silos,
    DateTimeOffset GeneratedAt);

/// <param name="CheckpointAgeSeconds">Seconds since the run's last checkpoint; null when it has none.</param>
/// <param name="Activation">The learned activation as of the run's newest checkpoint; null when there is none (yet).</param>
public sealed record RunView(
    string Name,
    string Phase,
    int Epoch,
    int TotalEpochs,
    double? ValAccuracy,
    double? BestValAccuracy,
    double? TestAccuracy,
    string? Silo,
    double? CheckpointAgeSeconds,
    string? Error,
    IReadOnlyList<CurvePoint> Curve,
    ActivationView? Activation);

public sealed record CurvePoint(int Epoch, double TrainLoss, double ValLoss, double ValAccuracy);

/// <summary>The learned activation sampled at <see cref="X"/>, read from the checkpoint of <see cref="Epoch"/>.</summary>
public sealed record ActivationView(int Epoch, double[] X, double[] Y);

/// <param name="Slots">Training slots the silo declared; null when it has not reported them.</param>
public sealed record SiloView(string Address, string Name, string Status, int? Slots, IReadOnlyList<string> Runs);
