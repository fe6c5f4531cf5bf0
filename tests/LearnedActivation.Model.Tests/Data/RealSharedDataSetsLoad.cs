using LearnedActivation.Model.Data;

namespace LearnedActivation.Model.Tests.Data;

/// <summary>The real benchmark files in ../shared/data load with the expected shapes, classes and mappings.</summary>
public sealed class RealSharedDataSetsLoad
{
    [Fact]
    public void CovertypeBinary10HasHundredThousandRowsTenFeaturesAnd49000Positives()
    {
        var data = new CsvDataSource(SharedData.CovertypeBinary10, "target").Load();
        Assert.Equal(100_000, data.Rows);
        Assert.Equal(10, data.Width);
        Assert.Equal("Elevation", data.FeatureNames[0]);
        Assert.Equal(49_000, data.Labels.Count(l => l == 1f));
        Assert.Equal(new LabelMapping("0", "1"), data.Mapping);

        var splits = BenchmarkSplit.Split(data, seed: 0);
        Assert.Equal((50_000, 15_000, 35_000), (splits.Train.Rows, splits.Validation.Rows, splits.Test.Rows));
        Assert.InRange(splits.Test.Labels.Average(), 0.48, 0.50);
    }

    [Fact]
    public void MagicTelescopeReadsGhLabelsAndColonNames()
    {
        var data = new CsvDataSource(SharedData.Grinsztajn("MagicTelescope"), "class").Load();
        Assert.Equal(13_376, data.Rows);
        Assert.Equal(10, data.Width);
        Assert.Equal("fLength:", data.FeatureNames[0]);
        Assert.Equal(new LabelMapping("g", "h"), data.Mapping);
        Assert.Equal(6_688, data.Labels.Count(l => l == 1f));
        Assert.Equal(69.2979f, data.Features[0]);
        Assert.Equal(0f, data.Labels[0]); // first row is "g"
    }

    [Fact]
    public void ElectricityMapsUpToOne()
    {
        var data = new CsvDataSource(SharedData.Grinsztajn("electricity"), "class").Load();
        Assert.Equal(38_474, data.Rows);
        Assert.Equal(7, data.Width);
        Assert.Equal(new LabelMapping("DOWN", "UP"), data.Mapping);
        Assert.Equal(19_237, data.Labels.Count(l => l == 1f));
        Assert.Equal(0f, data.Labels[0]); // first row is DOWN
    }

    [Fact]
    public void MultiClassCovertypeIsRejectedAsNotBinary()
    {
        var path = Path.Combine(SharedData.Root, "covertype", "covertype_uci_mlpack_subset_100k.csv.gz");
        var error = Assert.Throws<DataException>(() => new CsvDataSource(path, "Cover_Type").Load());
        Assert.Contains("exactly two classes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ArffOfTheSameRowsGivesTheSameTableAsCsv()
    {
        var csv = new CsvDataSource(SharedData.Grinsztajn("electricity"), "class").Load();
        using var dir = new TempDirectory();
        var arff = new System.Text.StringBuilder("@relation electricity\n");
        foreach (var name in csv.FeatureNames)
        {
            arff.Append("@attribute '").Append(name).Append("' numeric\n");
        }

        arff.Append("@attribute class {DOWN,UP}\n@data\n");
        using (var reader = new StreamReader(new System.IO.Compression.GZipStream(File.OpenRead(SharedData.Grinsztajn("electricity")), System.IO.Compression.CompressionMode.Decompress)))
        {
            reader.ReadLine();
            while (reader.ReadLine() is { } line)
            {
                arff.Append(line).Append('\n');
            }
        }

        var fromArff = ArffReader.Read(DataFiles.Write(dir.File("electricity.arff"), arff.ToString()), "class");
        Assert.Equal(csv.ContentHash(), fromArff.ContentHash());
        Assert.Equal(csv.Mapping, fromArff.Mapping);
    }
}
