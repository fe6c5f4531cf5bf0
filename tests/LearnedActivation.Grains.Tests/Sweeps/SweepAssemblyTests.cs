using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Scheduling;
using LearnedActivation.Grains.Sweeps;
using LearnedActivation.Grains.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace LearnedActivation.Grains.Tests.Sweeps;

public sealed class SweepAssemblyTests
{
    private readonly ManualClock _time = new(DateTimeOffset.UnixEpoch);
    private readonly List<SweepPhase> _written = [];

    [Fact]
    public async Task AnAssemblyIsStoredAsAssemblingThenFinishedWithItsKeys()
    {
        var state = Ended();
        var assembly = new SweepAssembly(new Assembler(_ => ["s/artifacts/results.md"]), _time, NullLogger.Instance);

        Assert.True(await assembly.RunAsync(state, "s", () => Write(state), CancellationToken.None));

        Assert.Equal([SweepPhase.Assembling, SweepPhase.Finished], _written);
        Assert.Equal(["s/artifacts/results.md"], state.ArtifactKeys);
        Assert.Null(state.AssemblyError);
        Assert.Equal(["relu_small_small"], state.MissingRuns);
    }

    [Fact]
    public async Task AnAssemblerThatFailsFinishesTheSweepWithItsError()
    {
        var state = Ended();
        state.ArtifactKeys = ["s/artifacts/old.md"];
        var assembly = new SweepAssembly(new Assembler(_ => throw new InvalidDataException("no\nsummary")), _time, NullLogger.Instance);

        Assert.True(await assembly.RunAsync(state, "s", () => Write(state), CancellationToken.None));

        Assert.Equal(SweepPhase.Finished, state.Phase);
        Assert.Equal("InvalidDataException: no summary", state.AssemblyError);
        Assert.Equal(["s/artifacts/old.md"], state.ArtifactKeys);
    }

    [Fact]
    public async Task AStoreThatFailsOnTheWayLeavesThePhaseAsItWasToBeTriedAgain()
    {
        var state = Ended();
        var assembly = new SweepAssembly(new Assembler(_ => ["k"]), _time, NullLogger.Instance);

        var done = await assembly.RunAsync(state, "s", () => state.Phase == SweepPhase.Finished ? throw new IOException("store down") : Write(state), CancellationToken.None);

        Assert.False(done);
        Assert.Equal(SweepPhase.Running, state.Phase);
        Assert.True(state.ReadyToAssemble());
    }

    private Task Write(SweepState state)
    {
        _written.Add(state.Phase);
        return Task.CompletedTask;
    }

    /// <summary>A running sweep of two runs, one completed and one failed.</summary>
    private static SweepState Ended()
    {
        var spec = TestSilos.Spec("s", epochs: 2);
        var state = new SweepState();
        RunOutcome Outcome(string name, RunPhase phase) =>
            new(RunStatus.NotStarted(new RunKey("s", name), 2, DateTimeOffset.UnixEpoch) with { Phase = phase }, [], []);
        state.Started(spec, [Outcome("tanh_small_small", RunPhase.Completed), Outcome("relu_small_small", RunPhase.Failed)], new ProgressFirstPolicy(), DateTimeOffset.UnixEpoch);
        return state;
    }

    private sealed class Assembler(Func<SweepAssemblyInput, IReadOnlyList<string>> assemble) : ISweepArtifactAssembler
    {
        public Task<IReadOnlyList<string>> AssembleAsync(SweepAssemblyInput input, CancellationToken cancellationToken) => Task.FromResult(assemble(input));
    }
}
