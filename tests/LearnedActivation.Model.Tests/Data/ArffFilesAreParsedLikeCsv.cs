using LearnedActivation.Model.Data;

namespace LearnedActivation.Model.Tests.Data;

public sealed class ArffFilesAreParsedLikeCsv : IDisposable
{
    private const string Header = """
        % A comment line before the relation
        @RELATION 'covertype sample'

        @attribute Elevation numeric
        @ATTRIBUTE 'Hill shade' REAL
        @attribute "row id" integer
        @attribute Y {1,-1}
        % comment between header and data
        @data
        """;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string WriteArff(string data) => DataFiles.Write(_dir.File("t.arff"), Header + "\n" + data);

    private static string Error(string path, string target = "Y", IReadOnlyCollection<string>? ignored = null)
    {
        var error = Assert.Throws<DataException>(() => ArffReader.Read(path, target, ignored));
        DataFiles.AssertOneLine(error.Message);
        Assert.StartsWith(path + ":", error.Message, StringComparison.Ordinal);
        return error.Message;
    }

    [Fact]
    public void DenseRowsWithQuotedNamesCommentsAndNominalTargetAreRead()
    {
        var path = WriteArff("2596,221,1,1\n% a comment row\n\n2590, 220 ,2,-1\n'2804',234,3,'1'\n");
        var data = ArffReader.Read(path, "Y", source: "openml:1");
        Assert.Equal(["Elevation", "Hill shade", "row id"], data.FeatureNames);
        Assert.Equal([2596f, 221f, 1f, 2590f, 220f, 2f, 2804f, 234f, 3f], data.Features);
        Assert.Equal(new LabelMapping("-1", "1"), data.Mapping);
        Assert.Equal([1f, 0f, 1f], data.Labels);
        Assert.Equal("openml:1", data.Source);
    }

    [Fact]
    public void IgnoredAttributesAreDroppedFromFeatures()
    {
        var path = WriteArff("2596,221,1,1\n2590,220,2,-1\n");
        var data = ArffReader.Read(path, "Y", ["row id"]);
        Assert.Equal(["Elevation", "Hill shade"], data.FeatureNames);
        Assert.Equal([2596f, 221f, 2590f, 220f], data.Features);
    }

    [Fact]
    public void QuotedValuesMayHoldCommasAndEscapedQuotes()
    {
        var path = DataFiles.Write(_dir.File("q.arff"), "@relation r\n@attribute x numeric\n@attribute c {'a,b','it\\'s'}\n@data\n1,'a,b'\n2,'it\\'s'\n");
        var data = ArffReader.Read(path, "c");
        Assert.Equal(new LabelMapping("a,b", "it's"), data.Mapping);
        Assert.Equal([0f, 1f], data.Labels);
    }

    [Fact]
    public void MissingValueIsRejectedNamingLineAndColumn()
    {
        var message = Error(WriteArff("2596,221,1,1\n2590,?,2,-1\n"));
        Assert.Contains("line 11, column 'Hill shade': is missing ('?')", message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingTargetIsRejectedNamingLineAndColumn()
    {
        var message = Error(WriteArff("2596,221,1,1\n2590,3,2,?\n"));
        Assert.Contains("line 11, column 'Y': is missing", message, StringComparison.Ordinal);
    }

    [Fact]
    public void SparseRowsAreRejectedClearly()
    {
        var message = Error(WriteArff("{0 2596, 1 221, 3 1}\n"));
        Assert.Contains("line 10: sparse ARFF rows are not supported", message, StringComparison.Ordinal);
    }

    [Fact]
    public void TargetValueOutsideTheDeclaredSetIsRejected()
    {
        var message = Error(WriteArff("2596,221,1,1\n2590,3,2,0\n"));
        Assert.Contains("line 11, column 'Y': value '0' is not one of the declared values '{1,-1}'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void NominalFeatureIsRejectedNamingTheAttribute()
    {
        var path = DataFiles.Write(_dir.File("n.arff"), "@relation r\n@attribute colour {red,blue}\n@attribute x numeric\n@attribute y {a,b}\n@data\nred,1,a\n");
        var message = Error(path, "y");
        Assert.Contains("feature attribute 'colour' is nominal", message, StringComparison.Ordinal);
    }

    [Fact]
    public void DateFeatureIsRejectedNamingItsType()
    {
        var path = DataFiles.Write(_dir.File("n.arff"), "@relation r\n@attribute when date 'yyyy-MM-dd'\n@attribute x numeric\n@attribute y {a,b}\n@data\n");
        var message = Error(path, "y");
        Assert.Contains("feature attribute 'when' is 'date'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void SharedValidationAppliesToArffToo()
    {
        var constant = Error(WriteArff("5,221,1,1\n5,222,2,-1\n"));
        Assert.Contains("constant feature column 'Elevation'", constant, StringComparison.Ordinal);
        var oneClass = Error(WriteArff("5,221,1,1\n6,222,2,1\n"));
        Assert.Contains("one class only ('1')", oneClass, StringComparison.Ordinal);
        var ragged = Error(WriteArff("5,221,1,1\n6,222,-1\n"));
        Assert.Contains("line 11 has 3 fields, expected 4", ragged, StringComparison.Ordinal);
        var absent = Error(WriteArff("5,221,1,1\n"), "class");
        Assert.Contains("the header has 4 columns: 'Elevation', 'Hill shade', 'row id', 'Y'", absent, StringComparison.Ordinal);
        var noRows = Error(WriteArff(""));
        Assert.Contains("no data rows", noRows, StringComparison.Ordinal);
    }

    [Fact]
    public void FileWithoutDataSectionIsRejected()
    {
        var path = DataFiles.Write(_dir.File("h.arff"), "@relation r\n@attribute x numeric\n");
        Assert.Contains("no @data line", Error(path, "x"), StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownHeaderLineIsRejectedNamingTheLine()
    {
        var path = DataFiles.Write(_dir.File("h.arff"), "@relation r\nx numeric\n@data\n");
        Assert.Contains("line 2: expected @relation, @attribute or @data", Error(path, "x"), StringComparison.Ordinal);
    }
}
