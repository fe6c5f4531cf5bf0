using Orleans.Concurrency;

namespace LearnedActivation.Grains.Dashboard;

/// <summary>A silo's training capacity as it declared it (see TrainingSlotsOptions).</summary>
[GenerateSerializer, Immutable, Alias("la.SiloSlots")]
public sealed record SiloSlots(
    [property: Id(0)] SiloAddress Address,
    [property: Id(1)] int Slots,
    [property: Id(2)] bool AcceptsRuns,
    [property: Id(3)] DateTimeOffset ReportedAt);

/// <summary>
/// Where the dashboard learns each silo's slots, which membership does not carry (key: <see cref="Key"/>). Each
/// silo reports itself every few seconds; the state is in memory only, since a re-activated directory is full
/// again after one round of reports, and membership says which silos are alive.
/// </summary>
[Alias("la.ISiloDirectoryGrain")]
public interface ISiloDirectoryGrain : IGrainWithStringKey
{
    public const string Key = "silos";

    [Alias("ReportAsync")]
    Task ReportAsync(SiloSlots silo);

    [Alias("GetAsync"), AlwaysInterleave]
    Task<IReadOnlyList<SiloSlots>> GetAsync();
}
