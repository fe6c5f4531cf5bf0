using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Storage;

namespace LearnedActivation.Grains.Sweeps;

/// <summary>The durable list of sweeps that silos poll for work. Calls no other grain, so no call chain can loop back to it.</summary>
[GrainType(StoreLayout.SweepBoardGrainType)]
public sealed class SweepBoardGrain(
    [PersistentState("board", StorageNames.Sweeps)] IPersistentState<SweepBoardState> state) : Grain, ISweepBoardGrain
{
    public async Task AddAsync(string sweepId)
    {
        if (!state.State.Sweeps.Contains(sweepId))
        {
            state.State.Sweeps.Add(sweepId);
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveAsync(string sweepId)
    {
        if (state.State.Sweeps.Remove(sweepId))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> GetActiveAsync() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Sweeps]);
}

[GenerateSerializer, Alias("la.SweepBoardState")]
public sealed class SweepBoardState
{
    /// <summary>Sweep ids in the order they were started.</summary>
    [Id(0)]
    public List<string> Sweeps { get; set; } = [];
}
