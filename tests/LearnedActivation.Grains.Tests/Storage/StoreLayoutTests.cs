using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Storage;

namespace LearnedActivation.Grains.Tests.Storage;

/// <summary>StoreLayout reads back the artifact keys it spells, and nothing else.</summary>
public sealed class StoreLayoutTests
{
    private static readonly RunKey Run = new("study", "tanh_small_small");

    [Fact]
    public void ARunsArtifactKeyNamesItsRunAndFile()
    {
        var key = StoreLayout.RunArtifact(Run, "metrics.json");

        Assert.Equal(new StoredArtifact("tanh_small_small", "metrics.json"), StoreLayout.ArtifactOf("study", key));
        Assert.Equal("metrics.json", StoreLayout.ArtifactName(key));
    }

    [Fact]
    public void TheSweepsOwnArtifactKeyHasNoRun()
    {
        var key = StoreLayout.SweepArtifact("study", "results.csv");

        Assert.Equal(new StoredArtifact(null, "results.csv"), StoreLayout.ArtifactOf("study", key));
        Assert.Equal("results.csv", StoreLayout.ArtifactName(key));
    }

    [Fact]
    public void StateCheckpointsAndOtherSweepsAreNotArtifacts()
    {
        Assert.Null(StoreLayout.ArtifactOf("study", StoreLayout.SweepState("study")));
        Assert.Null(StoreLayout.ArtifactOf("study", StoreLayout.RunState(Run)));
        Assert.Null(StoreLayout.ArtifactOf("study", StoreLayout.Checkpoint(Run, Guid.NewGuid(), 3)));
        Assert.Null(StoreLayout.ArtifactOf("study", StoreLayout.SweepArtifact("study2", "results.csv")));
        Assert.Null(StoreLayout.ArtifactOf("study", StoreLayout.RunArtifact(new RunKey("study2", "tanh_small_small"), "metrics.json")));
        Assert.Null(StoreLayout.ArtifactOf("study", "study/runs/tanh_small_small"));
    }

    [Fact]
    public void TheStoreRootsOwnFilesAreNeverBlobKeys()
    {
        Assert.False(BlobKey.IsValid(StoreLayout.LockFile));
        Assert.False(BlobKey.IsValid(StoreLayout.GatewayFile));
    }
}
