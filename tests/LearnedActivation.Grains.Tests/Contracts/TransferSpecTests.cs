using System.Text.Json;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Grains.Training;
using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Grains.Tests.Contracts;

/// <summary>A transfer sweep's spec (issue 15): its runs per arm, their names, its limits, and that it survives storage.</summary>
public sealed class TransferSpecTests
{
    // Two source runs of one configuration (the source sweep had two seeds) and one warm run of another.
    private static readonly TransferSpec Transfer = new("study",
    [
        new ActivationSource("study", "tanh_small_medium_s0", BaseActivation.Tanh, SizePreset.Small, SizePreset.Medium, StudyArm.Learned),
        new ActivationSource("study", "tanh_small_medium_s1", BaseActivation.Tanh, SizePreset.Small, SizePreset.Medium, StudyArm.Learned),
        new ActivationSource("study", "tanh_small_large_warm_s0", BaseActivation.Tanh, SizePreset.Small, SizePreset.Large, StudyArm.Warm),
    ]);

    private static SweepSpec Spec(params long[] seeds) =>
        SweepSpec.ForTransfer("study-to-credit", Transfer, seeds, TrainingBudget.Study, new DataSpec("/data/credit.csv", "y"));

    [Fact]
    public void EachArmHasItsRunsAndReadableUniqueNames()
    {
        var runs = Spec(0, 1).Runs();

        string[] expected =
        [
            "tanh_small_fixed_s0", "tanh_small_fixed_s1",
            "tanh_small_medium_s0", "tanh_small_medium_s1", "tanh_small_large_s0", "tanh_small_large_s1",
            "tanh_small_medium_s0_frozen_s0", "tanh_small_medium_s0_frozen_s1", "tanh_small_medium_s1_frozen_s0", "tanh_small_medium_s1_frozen_s1",
            "tanh_small_large_warm_s0_frozen_s0", "tanh_small_large_warm_s0_frozen_s1",
            "tanh_small_medium_s0_finetuned_s0", "tanh_small_medium_s0_finetuned_s1", "tanh_small_medium_s1_finetuned_s0", "tanh_small_medium_s1_finetuned_s1",
            "tanh_small_large_warm_s0_finetuned_s0", "tanh_small_large_warm_s0_finetuned_s1",
            "tanh_small_medium_random-frozen_s0", "tanh_small_medium_random-frozen_s1", "tanh_small_large_random-frozen_s0", "tanh_small_large_random-frozen_s1",
        ];
        Assert.Equal(expected, runs.Select(r => r.ConfigName));
        Assert.All(runs, r => Assert.True(RunKey.IsValidName(r.ConfigName), r.ConfigName));

        // fixed: one per base, outer size and seed, whatever the sources' activation sizes.
        Assert.Equal(2, runs.Count(r => r.Arm == StudyArm.Fixed));

        // Only frozen and finetuned carry a source, and it is the run they are named after.
        Assert.All(runs, r => Assert.Equal(r.Arm.NeedsSourceActivation(), r.Source is not null));
        Assert.All(runs.Where(r => r.Source is not null), r => Assert.StartsWith(r.Source!.RunName + "_", r.ConfigName, StringComparison.Ordinal));
        var warm = runs.Single(r => r.ConfigName == "tanh_small_large_warm_s0_finetuned_s1");
        Assert.Equal((BaseActivation.Tanh, SizePreset.Small, SizePreset.Large, 1L), (warm.Base, warm.Outer, warm.Activation, warm.Seed));
        Assert.Null(SweepSpecValidator.FirstError(Spec(0, 1)));
    }

    [Fact]
    public void OneSeedKeepsTheNamesWithoutASuffix()
    {
        Assert.Contains("tanh_small_medium_s0_frozen", Spec(0).Runs().Select(r => r.ConfigName));
        Assert.Contains("tanh_small_fixed", Spec(0).Runs().Select(r => r.ConfigName));
    }

    [Fact]
    public void ASourceArmOutsideATransferSweepIsRefused()
    {
        var spec = SweepSpec.Default("s") with { Axes = SweepAxes.Study with { Arms = [StudyArm.Learned, StudyArm.Frozen] } };
        Assert.StartsWith("arms: 'frozen' starts from a source run's activation", SweepSpecValidator.FirstError(spec), StringComparison.Ordinal);
    }

    [Fact]
    public void ATransferWithoutSourcesOrWithAStudyArmIsRefused()
    {
        Assert.StartsWith("transfer: sweep 'study' has no completed run", SweepSpecValidator.FirstError(Spec(0) with { Transfer = Transfer with { Sources = [] } }), StringComparison.Ordinal);
        var wide = Spec(0) with { Axes = Spec(0).Axes with { Arms = [StudyArm.Fixed, StudyArm.FixedWide] } };
        Assert.StartsWith("arms: 'fixed-wide' is not an arm of transfer sweeps", SweepSpecValidator.FirstError(wide), StringComparison.Ordinal);
    }

    [Fact]
    public void TheSpecSurvivesTheStoresJsonSoAResumeFindsTheSameSweep()
    {
        var spec = Spec(0, 1, 2);
        var json = JsonSerializer.Serialize(spec, BlobGrainStorage.JsonOptions);
        var read = JsonSerializer.Deserialize<SweepSpec>(json, BlobGrainStorage.JsonOptions)!;

        Assert.True(spec.SameAs(read));
        Assert.Equal(spec.Runs(), read.Runs());
        Assert.False(spec.SameAs(spec with { Transfer = Transfer with { Sources = [.. Transfer.Sources.Take(2)] } }));
        Assert.False(spec.SameAs(spec with { Transfer = null }));

        // A run's stored work item keeps its source, so a resumed run is enqueued as the same work.
        var frozen = RunWorkItem.For(spec, spec.Runs().First(r => r.Arm == StudyArm.Frozen));
        var stored = JsonSerializer.Deserialize<RunWorkItem>(JsonSerializer.Serialize(frozen, BlobGrainStorage.JsonOptions), BlobGrainStorage.JsonOptions)!;
        Assert.Equal(frozen.Run, stored.Run);
        Assert.Equal(Transfer.Sources[0], stored.Run.Source);
    }

    [Fact]
    public async Task SourceWeightsAreReadFromTheSourceRunsArtifacts()
    {
        var root = Directory.CreateTempSubdirectory("learnact-sources-");
        try
        {
            var store = new FileSystemBlobStore(root.FullName);
            var source = Transfer.Sources[0];
            var sources = new StoredActivationSources(store);
            var missing = await Assert.ThrowsAsync<InvalidOperationException>(() => sources.LoadAsync(source, CancellationToken.None));
            Assert.Equal("the source activation of run 'tanh_small_medium_s0' of sweep 'study' is not in the store (study/runs/tanh_small_medium_s0/artifacts/activation.dat)", missing.Message);

            byte[] bytes = [1, 2, 3];
            await store.PutAsync(StoreLayout.RunArtifact(source.Run, "activation.dat"), bytes);
            var other = new Model.Checkpoints.SourceActivationWeights(bytes);
            Assert.Equal(other.Hash, (await sources.LoadAsync(source, CancellationToken.None)).Hash);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
