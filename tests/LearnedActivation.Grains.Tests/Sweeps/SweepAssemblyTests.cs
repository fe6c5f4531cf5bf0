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

    [Fact]
    public async Task AScheduledAssemblyRunsInATimerTurnOfItsOwnThenEndsItsTimerAndCallsFinished()
    {
        var state = Ended();
        var timers = new Timers();
        var assembly = new SweepAssembly(new Assembler(_ => ["k"]), _time, NullLogger.Instance, new TimerSlot(timers.Register));
        var finished = 0;

        assembly.Schedule(null!, state, "s", _ => Write(state), () => Task.FromResult(++finished));

        var timer = Assert.Single(timers.Armed);
        Assert.Equal((TimeSpan.Zero, Timeout.InfiniteTimeSpan, true), (timer.Options.DueTime, timer.Options.Period, timer.Options.KeepAlive));
        Assert.True(assembly.Scheduled);
        Assert.Empty(_written);

        await timer.Callback(CancellationToken.None);

        Assert.Equal(SweepPhase.Finished, state.Phase);
        Assert.Equal(1, finished);
        Assert.False(assembly.Scheduled);
        Assert.True(timer.Disposed);
    }

    [Fact]
    public async Task AStoreThatFailsTheScheduledAssemblyHasItTriedAgainAfterTheDelayAndFinishedOnlyThen()
    {
        var state = Ended();
        var timers = new Timers();
        var assembly = new SweepAssembly(new Assembler(_ => ["k"]), _time, NullLogger.Instance, new TimerSlot(timers.Register));
        var storeDown = true;
        var finished = 0;
        assembly.Schedule(null!, state, "s", _ => storeDown ? throw new IOException("store down") : Write(state), () => Task.FromResult(++finished));

        await timers.Armed[0].Callback(CancellationToken.None);

        Assert.Equal(2, timers.Armed.Count);
        Assert.True(timers.Armed[0].Disposed);
        Assert.Equal(SweepAssembly.RetryDelay, timers.Armed[1].Options.DueTime);
        Assert.True(assembly.Scheduled);
        Assert.Equal(SweepPhase.Running, state.Phase);
        Assert.Equal(0, finished);

        storeDown = false;
        await timers.Armed[1].Callback(CancellationToken.None);

        Assert.Equal(SweepPhase.Finished, state.Phase);
        Assert.Equal(1, finished);
        Assert.False(assembly.Scheduled);
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

    /// <summary>Stands in for the grain's timer registry: keeps each timer so that the test fires it.</summary>
    private sealed class Timers
    {
        public List<Timer> Armed { get; } = [];

        public Timer Register(IGrainBase grain, Func<CancellationToken, Task> callback, GrainTimerCreationOptions options)
        {
            var timer = new Timer(callback, options);
            Armed.Add(timer);
            return timer;
        }
    }

    private sealed class Timer(Func<CancellationToken, Task> callback, GrainTimerCreationOptions options) : IGrainTimer
    {
        public Func<CancellationToken, Task> Callback => callback;

        public GrainTimerCreationOptions Options => options;

        public bool Disposed { get; private set; }

        public void Change(TimeSpan dueTime, TimeSpan period) => throw new NotSupportedException();

        public void Dispose() => Disposed = true;
    }

    private sealed class Assembler(Func<SweepAssemblyInput, IReadOnlyList<string>> assemble) : ISweepArtifactAssembler
    {
        public Task<IReadOnlyList<string>> AssembleAsync(SweepAssemblyInput input, CancellationToken cancellationToken) => Task.FromResult(assemble(input));
    }
}
