using LearnedActivation.Client.Embedded;

namespace LearnedActivation.Client.Tests.Embedded;

/// <summary>The note a training process leaves in its store: read back as written, and anything else is no note.</summary>
public sealed class GatewayNoteTests : IDisposable
{
    private readonly TempDirectory _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public void ANoteReadsBackAsWritten()
    {
        var note = new GatewayNote(31234, "learnact-0123456789ab", "learnact");

        note.WriteTo(_store.Path);

        Assert.Equal(note, GatewayNote.ReadFrom(_store.Path));
    }

    [Fact]
    public void NoNoteIsNull()
    {
        Assert.Null(GatewayNote.ReadFrom(_store.Path));
        Assert.Null(GatewayNote.ReadFrom(_store.File("missing-store")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("""{"gatewayPort":0,"clusterId":"c","serviceId":"s"}""")]
    [InlineData("""{"gatewayPort":70000,"clusterId":"c","serviceId":"s"}""")]
    [InlineData("""{"gatewayPort":30000,"clusterId":"","serviceId":"s"}""")]
    [InlineData("""{"gatewayPort":30000,"serviceId":"s"}""")]
    public void AnUnusableNoteIsNull(string content)
    {
        File.WriteAllText(Path.Combine(_store.Path, ".gateway"), content);

        Assert.Null(GatewayNote.ReadFrom(_store.Path));
    }

    [Fact]
    public void RemovingTakesTheNoteAwayAndIsHarmlessWhenThereIsNone()
    {
        new GatewayNote(31234, "c", "s").WriteTo(_store.Path);

        GatewayNote.RemoveFrom(_store.Path);
        GatewayNote.RemoveFrom(_store.Path);

        Assert.Null(GatewayNote.ReadFrom(_store.Path));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_store.Path));
    }
}
