using LearnedActivation.Model.Data;

namespace LearnedActivation.Model.Tests.Data;

public sealed class DataSourceFactoryFollowsTheCliOptions : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Func<string, string?> Env(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void NoDataFileMeansTheDefaultOpenMlDataset()
    {
        var source = DataSourceFactory.Create(null, null, Env(("LEARNACT_CACHE", _dir.Path)));
        var openMl = Assert.IsType<OpenMlDataSource>(source);
        Assert.Equal(44121, openMl.DataId);
        Assert.Equal("openml:44121", source.Description);
        Assert.Equal(Path.Combine(_dir.Path, "openml", "44121"), openMl.CacheDirectory);
    }

    [Fact]
    public void DataFileWithTargetGivesACsvSource()
    {
        var path = DataFiles.Write(_dir.File("d.csv"), "x,y\n1,0\n2,1\n");
        var csv = Assert.IsType<CsvDataSource>(DataSourceFactory.Create(path, "y", Env()));
        Assert.Equal(path, csv.Path);
        Assert.Equal("y", csv.TargetColumn);
    }

    [Fact]
    public void DataFileWithoutTargetIsRejectedNamingTheTargetOption()
    {
        var error = Assert.Throws<DataException>(() => DataSourceFactory.Create("d.csv", null, Env()));
        Assert.Contains("--target", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TargetWithoutDataFileIsRejectedNamingTheDataOption()
    {
        var error = Assert.Throws<DataException>(() => DataSourceFactory.Create(null, "class", Env()));
        Assert.Contains("--data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RelativeNameIsResolvedInTheDataDirectoryWhenNotFoundAsGiven()
    {
        var path = DataFiles.Write(_dir.File("only-in-data-dir.csv"), "x,y\n1,0\n2,1\n");
        var csv = Assert.IsType<CsvDataSource>(DataSourceFactory.Create("only-in-data-dir.csv", "y", Env(("LEARNACT_DATA_DIR", _dir.Path))));
        Assert.Equal(path, csv.Path);
        Assert.Equal(2, csv.Load().Rows);
    }

    [Fact]
    public void FileFoundNowhereIsRejectedNamingWhereItLooked()
    {
        var error = Assert.Throws<DataException>(() => DataSourceFactory.Create("absent.csv", "y", Env(("LEARNACT_DATA_DIR", _dir.Path))));
        DataFiles.AssertOneLine(error.Message);
        Assert.StartsWith("absent.csv: file not found", error.Message, StringComparison.Ordinal);
        Assert.Contains("LEARNACT_DATA_DIR=" + _dir.Path, error.Message, StringComparison.Ordinal);
    }
}
