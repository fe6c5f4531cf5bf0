using LearnedActivation.Model.Data;

namespace LearnedActivation.Model.Tests.Data;

public sealed class CsvFilesLoadAsValidatedTables : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ValuesLandRowMajorWithTargetRemovedFromFeatures()
    {
        var path = DataFiles.Write(_dir.File("t.csv"), "a,label,b\n1.5,0,-2\n3,1,4e2\n");
        var data = new CsvDataSource(path, "label").Load();
        Assert.Equal(["a", "b"], data.FeatureNames);
        Assert.Equal("label", data.TargetName);
        Assert.Equal([1.5f, -2f, 3f, 400f], data.Features);
        Assert.Equal([0f, 1f], data.Labels);
        Assert.Equal(Path.GetFullPath(path), data.Source);
    }

    [Fact]
    public void GzipIsDetectedFromContentNotExtension()
    {
        const string Csv = "x,y\n1,0\n2,1\n";
        var gzipNamedCsv = DataFiles.WriteGzip(_dir.File("really-gzip.csv"), Csv);
        var plainNamedGz = DataFiles.Write(_dir.File("really-plain.csv.gz"), Csv);
        Assert.Equal([1f, 2f], new CsvDataSource(gzipNamedCsv, "y").Load().Features);
        Assert.Equal([1f, 2f], new CsvDataSource(plainNamedGz, "y").Load().Features);
    }

    [Fact]
    public void SurroundingWhitespaceCrLfBomAndBlankLinesAreTolerated()
    {
        var path = _dir.File("messy.csv");
        File.WriteAllText(path, " x , y \r\n 1 ,\t0 \r\n\r\n2, 1\r\n\r\n", new System.Text.UTF8Encoding(true));
        var data = new CsvDataSource(path, "y").Load();
        Assert.Equal(["x"], data.FeatureNames);
        Assert.Equal([1f, 2f], data.Features);
        Assert.Equal([0f, 1f], data.Labels);
    }

    [Fact]
    public void NumbersUseInvariantCultureWhateverTheThreadCulture()
    {
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            var path = DataFiles.Write(_dir.File("t.csv"), "x,y\n1.25,0\n2.5,1\n");
            Assert.Equal([1.25f, 2.5f], new CsvDataSource(path, "y").Load().Features);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }

    [Theory]
    [InlineData("0", "1", "0", "1")]
    [InlineData("1.0", "0.0", "0.0", "1.0")]
    [InlineData("1", "-1", "-1", "1")]
    [InlineData("h", "g", "g", "h")]
    [InlineData("N", "P", "N", "P")]
    [InlineData("UP", "DOWN", "DOWN", "UP")]
    [InlineData("false", "true", "false", "true")]
    [InlineData("True", "False", "False", "True")]
    [InlineData("yes", "no", "no", "yes")]
    [InlineData("b", "a", "a", "b")]
    public void LabelsMapByTheDocumentedRuleAndReportTheMapping(string firstSeen, string secondSeen, string negative, string positive)
    {
        var path = DataFiles.Write(_dir.File("t.csv"), $"x,y\n1,{firstSeen}\n2,{secondSeen}\n3,{firstSeen}\n");
        var data = new CsvDataSource(path, "y").Load();
        Assert.Equal(new LabelMapping(negative, positive), data.Mapping);
        var firstLabel = firstSeen == positive ? 1f : 0f;
        Assert.Equal([firstLabel, 1f - firstLabel, firstLabel], data.Labels);
    }

    [Fact]
    public void DescriptionNamesFileAndTarget()
    {
        Assert.Equal("/d/f.csv [class]", new CsvDataSource("/d/f.csv", "class").Description);
    }

    [Fact]
    public async Task LoadAsyncReturnsTheSameTableAsLoad()
    {
        var path = DataFiles.Write(_dir.File("t.csv"), "x,y\n1,0\n2,1\n");
        var data = await new CsvDataSource(path, "y").LoadAsync();
        Assert.Equal(new CsvDataSource(path, "y").Load().ContentHash(), data.ContentHash());
    }
}
