using LearnedActivation.Model.Data;

namespace LearnedActivation.Model.Tests.Data;

/// <summary>
/// A restricted <see cref="DataRoot"/> resolves relative names against the root and refuses every way out of it:
/// "..", an absolute path elsewhere, a symbolic link (to a file or a folder) that points outside.
/// </summary>
public sealed class DataRootKeepsReadsInside : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _root;
    private readonly string _outside;

    public DataRootKeepsReadsInside()
    {
        _root = Directory.CreateDirectory(_dir.File("root")).FullName;
        Directory.CreateDirectory(Path.Combine(_root, "sets"));
        File.WriteAllText(Path.Combine(_root, "sets", "inside.csv"), "a,y\n");
        _outside = _dir.Write("secret.csv", "a,y\n");
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void RelativeNamesResolveAgainstTheRoot()
    {
        var root = DataRoot.Under(_root);

        Assert.Equal(Path.Combine(_root, "sets", "inside.csv"), root.Resolve("sets/inside.csv"));
        Assert.Equal(Path.Combine(_root, "sets", "inside.csv"), root.Resolve("./sets/../sets/inside.csv"));
    }

    [Fact]
    public void AnAbsolutePathInsideTheRootIsAccepted() =>
        Assert.Equal(Path.Combine(_root, "sets", "inside.csv"), DataRoot.Under(_root).Resolve(Path.Combine(_root, "sets", "inside.csv")));

    [Theory]
    [InlineData("../secret.csv")]
    [InlineData("sets/../../secret.csv")]
    [InlineData("/etc/passwd")]
    [InlineData("/proc/self/environ")]
    public void NamesThatLeadOutsideAreRefused(string file)
    {
        var error = Assert.Throws<DataException>(() => DataRoot.Under(_root).Resolve(file));

        Assert.Contains("outside the data root", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASymbolicLinkToAFileOutsideIsRefused()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "link.csv"), _outside);

        var error = Assert.Throws<DataException>(() => DataRoot.Under(_root).Resolve("link.csv"));

        Assert.Contains("outside the data root", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASymbolicLinkToAFolderOutsideIsRefused()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "up"), _dir.Path);

        var error = Assert.Throws<DataException>(() => DataRoot.Under(_root).Resolve("up/secret.csv"));

        Assert.Contains("outside the data root", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASymbolicLinkThatStaysInsideIsFollowed()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "alias.csv"), Path.Combine(_root, "sets", "inside.csv"));

        Assert.Equal(Path.Combine(_root, "sets", "inside.csv"), DataRoot.Under(_root).Resolve("alias.csv"));
    }

    [Fact]
    public void ARootReachedThroughASymbolicLinkStillWorks()
    {
        var alias = _dir.File("root-alias");
        Directory.CreateSymbolicLink(alias, _root);

        Assert.Equal(Path.Combine(_root, "sets", "inside.csv"), DataRoot.Under(alias).Resolve("sets/inside.csv"));
    }

    [Fact]
    public void AMissingFileUnderTheRootIsNotFound()
    {
        var error = Assert.Throws<DataException>(() => DataRoot.Under(_root).Resolve("sets/none.csv"));

        Assert.Contains("file not found under the data root", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnrestrictedUsesTheNameAsGiven() => Assert.Equal("../x.csv", DataRoot.Unrestricted.Resolve("../x.csv"));

    [Fact]
    public void ARootThatIsNoDirectoryIsRefused() =>
        Assert.Throws<ArgumentException>(() => DataRoot.Under(_outside));
}
