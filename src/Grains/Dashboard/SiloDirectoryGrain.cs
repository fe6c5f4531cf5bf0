namespace LearnedActivation.Grains.Dashboard;

/// <inheritdoc cref="ISiloDirectoryGrain"/>
public sealed class SiloDirectoryGrain : Grain, ISiloDirectoryGrain
{
    private readonly Dictionary<SiloAddress, SiloSlots> _silos = [];

    public Task ReportAsync(SiloSlots silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        _silos[silo.Address] = silo;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SiloSlots>> GetAsync() => Task.FromResult<IReadOnlyList<SiloSlots>>([.. _silos.Values]);
}
