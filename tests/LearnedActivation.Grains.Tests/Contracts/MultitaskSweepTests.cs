using System.Text.Json;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Scheduling;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Grains.Sweeps;
using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Grains.Tests.Contracts;

/// <summary>
/// A multitask spec as a sweep (issue 15.2): its runs (joint, single-task, and the holdout's fixed, learned and frozen
/// arms), their sources within the sweep, that a frozen run is claimed only once its source has ended, and that
/// the spec and its work items survive the store's JSON so a resume finds the same sweep.
/// </summary>
public sealed class MultitaskSweepTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch;

    private static SweepSpec Spec(params long[] seeds) => new MultitaskSpec(
        "loo",
        new SweepAxes([BaseActivation.Tanh], [SizePreset.Small], [SizePreset.Small], seeds),
        TrainingBudget.Study,
        [new DataSpec("/d/covertype.csv.gz", "target"), new DataSpec("/d/electricity.csv.gz", "class")],
        new DataSpec("/d/california.csv.gz", "price_above_median")).ToSweep();

    [Fact]
    public void EachConfigurationAndSeedHasAJointRunSingleTaskRunsAndTheHoldoutArms()
    {
        var spec = Spec(0, 1);
        var runs = spec.Runs();

        string[] expected =
        [
            "multitask_tanh_small_small_s0", "tanh_small_small_on-covertype_s0", "tanh_small_small_on-electricity_s0",
            "multitask_tanh_small_small_s1", "tanh_small_small_on-covertype_s1", "tanh_small_small_on-electricity_s1",
            "tanh_small_fixed_s0", "tanh_small_fixed_s1", "tanh_small_small_s0", "tanh_small_small_s1",
            "multitask_tanh_small_small_frozen_s0", "tanh_small_small_on-covertype_frozen_s0", "tanh_small_small_on-electricity_frozen_s0",
            "multitask_tanh_small_small_frozen_s1", "tanh_small_small_on-covertype_frozen_s1", "tanh_small_small_on-electricity_frozen_s1",
        ];
        Assert.Equal(expected, runs.Select(r => r.ConfigName));
        Assert.Null(SweepSpecValidator.FirstError(spec));

        var joint = runs[0];
        Assert.Equal(spec.Multitask!.Tasks, joint.Tasks);
        Assert.Equal(StudyArm.Learned, joint.Arm);
        var single = runs[2];
        Assert.Equal(new DataSpec("/d/electricity.csv.gz", "class"), RunWorkItem.For(spec, single).Data);

        // Every holdout run trains on the sweep's data (the holdout); every frozen one on the activation of its source, same seed.
        var holdout = runs.Where(r => r.Tasks is null && r.Data is null).ToList();
        Assert.All(holdout, r => Assert.Equal(spec.Data, RunWorkItem.For(spec, r).Data));
        var frozen = runs.Where(r => r.Arm == StudyArm.Frozen).ToList();
        Assert.Equal(6, frozen.Count);
        Assert.All(frozen, r =>
        {
            var source = runs.Single(s => s.ConfigName == r.Source!.RunName);
            Assert.Equal("loo", r.Source!.SweepId);
            Assert.Equal(r.Seed, source.Seed);
            Assert.True(source.Tasks is not null || source.Data is not null, $"{r.ConfigName}'s source {source.ConfigName} trains on the holdout");
        });
    }

    [Fact]
    public void TaskNamesAreTheFilesStemsMadeSafeAndUnique()
    {
        var tasks = new MultitaskSweep([new DataSpec("/a/house 16H.csv.gz", "y"), new DataSpec("/b/x.csv", "y"), new DataSpec("/c/x.csv", "z")]);

        Assert.Equal(["house-16H", "x1", "x2"], tasks.TaskNames());
    }

    [Fact]
    public void TheSpecAndItsWorkSurviveTheStoresJsonSoAResumeFindsTheSameSweep()
    {
        var spec = Spec(0, 1);
        var read = JsonSerializer.Deserialize<SweepSpec>(JsonSerializer.Serialize(spec, BlobGrainStorage.JsonOptions), BlobGrainStorage.JsonOptions)!;

        Assert.True(spec.SameAs(read));
        Assert.Equal(spec.Runs(), read.Runs());
        Assert.False(spec.SameAs(spec with { Multitask = new MultitaskSweep([.. spec.Multitask!.Tasks.Reverse()]) }));
        Assert.False(spec.SameAs(spec with { Multitask = null }));

        // The run grain refuses work unequal to what it holds: a joint run's task list read back must compare equal.
        var joint = RunWorkItem.For(spec, spec.Runs()[0]);
        var stored = JsonSerializer.Deserialize<RunWorkItem>(JsonSerializer.Serialize(joint, BlobGrainStorage.JsonOptions), BlobGrainStorage.JsonOptions)!;
        Assert.NotSame(joint.Run.Tasks, stored.Run.Tasks);
        Assert.Equal(joint, stored);
        Assert.NotEqual(joint, joint with { Run = joint.Run with { Tasks = [.. joint.Run.Tasks!.Take(1)] } });
    }

    [Fact]
    public void AHoldoutThatIsATaskOrASingleTaskIsRefused()
    {
        var spec = Spec(0);
        Assert.StartsWith("holdout: is also tasks[1]", SweepSpecValidator.FirstError(spec with { Data = spec.Multitask!.Tasks[1] }), StringComparison.Ordinal);
        Assert.StartsWith("tasks: needs at least two tasks (got 1)", SweepSpecValidator.FirstError(spec with { Multitask = new MultitaskSweep([.. spec.Multitask.Tasks.Take(1)]) }), StringComparison.Ordinal);
    }

    [Fact]
    public void AFrozenRunIsClaimedOnlyOnceItsSourceHasEnded()
    {
        var spec = Spec(0);
        var state = new SweepState();
        var names = spec.Runs().Select(r => r.ConfigName).ToList();
        state.Started(spec, names.Select(n => Outcome(n, RunPhase.Queued)), new ProgressFirstPolicy(), T0);

        // The six runs that need no source first, in spec order; then nothing, while every source is still to end.
        var claimed = new List<string>();
        while (state.NextClaim(new ProgressFirstPolicy(), "silo") is { } name)
        {
            state.Claim(name, new RunAssignment("silo", Guid.NewGuid(), T0), Status(name, RunPhase.Running));
            claimed.Add(name);
        }

        Assert.Equal(["multitask_tanh_small_small", "tanh_small_small_on-covertype", "tanh_small_small_on-electricity", "tanh_small_fixed", "tanh_small_small"], claimed);
        Assert.True(state.WaitsForSource("multitask_tanh_small_small_frozen"));
        Assert.True(state.HasQueuedWork());

        // The joint run completes: its frozen run goes; a single-task run fails: its frozen run goes too (and will fail saying why).
        state.Ended(state.Assignments["multitask_tanh_small_small"].ExecutionId, Outcome("multitask_tanh_small_small", RunPhase.Completed));
        Assert.Equal("multitask_tanh_small_small_frozen", state.NextClaim(new ProgressFirstPolicy(), "silo"));
        state.Ended(state.Assignments["tanh_small_small_on-electricity"].ExecutionId, Outcome("tanh_small_small_on-electricity", RunPhase.Failed));
        Assert.False(state.WaitsForSource("tanh_small_small_on-electricity_frozen"));
        Assert.True(state.WaitsForSource("tanh_small_small_on-covertype_frozen"));
        Assert.False(state.WaitsForSource("tanh_small_small"));
    }

    private static RunStatus Status(string name, RunPhase phase) => RunStatus.NotStarted(new RunKey("loo", name), 4, T0) with { Phase = phase };

    private static RunOutcome Outcome(string name, RunPhase phase) => new(Status(name, phase), [], []);
}
