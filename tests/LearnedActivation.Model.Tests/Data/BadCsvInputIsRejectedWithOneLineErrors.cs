using LearnedActivation.Model.Data;
using LearnedActivation.Model.Tests.Support;

namespace LearnedActivation.Model.Tests.Data;

/// <summary>Every bad file gets one DataException line naming the file, the column and the 1-based line where they apply.</summary>
public sealed class BadCsvInputIsRejectedWithOneLineErrors : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void MissingFileIsRejectedNamingTheFile()
    {
        var message = DataFiles.CsvError(_dir.File("nope.csv"), "y");
        Assert.Contains("file not found", message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyFileIsRejectedNamingTheFile()
    {
        var message = DataFiles.CsvError(DataFiles.Write(_dir.File("empty.csv"), ""), "y");
        Assert.Contains("empty", message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyGzipFileIsRejectedAsEmpty()
    {
        var message = DataFiles.CsvError(DataFiles.WriteGzip(_dir.File("empty.csv.gz"), ""), "y");
        Assert.Contains("empty", message, StringComparison.Ordinal);
    }

    [Fact]
    public void CorruptGzipIsRejectedNamingTheFile()
    {
        var path = _dir.File("bad.csv.gz");
        File.WriteAllBytes(path, [0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        var message = DataFiles.CsvError(path, "y");
        Assert.Contains("gzip", message, StringComparison.Ordinal);
    }

    [Fact]
    public void HeaderOnlyFileIsRejectedNamingTheFile()
    {
        var message = DataFiles.CsvError(DataFiles.Write(_dir.File("header.csv"), "x,y\n\n"), "y");
        Assert.Contains("no data rows", message, StringComparison.Ordinal);
    }

    [Fact]
    public void RowWithTooFewFieldsIsRejectedNamingLineAndMissingColumn()
    {
        var message = DataFiles.CsvError(DataFiles.Write(_dir.File("r.csv"), "a,b,y\n1,2,0\n3,4,1\n5,6\n"), "y");
        Assert.Contains("line 4 has 2 fields, expected 3", message, StringComparison.Ordinal);
        Assert.Contains("'y'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void RowWithTooManyFieldsIsRejectedNamingLineAndCount()
    {
        var message = DataFiles.CsvError(DataFiles.Write(_dir.File("r.csv"), "a,b,y\n1,2,0\n3,4,1,9\n"), "y");
        Assert.Contains("line 3 has 4 fields, expected 3", message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonNumericFeatureIsRejectedNamingLineColumnAndValue()
    {
        var message = DataFiles.CsvError(DataFiles.Write(_dir.File("n.csv"), "a,b,y\n1,2,0\n3,abc,1\n"), "y");
        Assert.Contains("line 3, column 'b'", message, StringComparison.Ordinal);
        Assert.Contains("'abc' is not a number", message, StringComparison.Ordinal);
    }

    [Fact]
    public void NumberWrittenWithDecimalCommaStyleIsNotSilentlyMisread()
    {
        // "1,5" splits into two fields: the row is ragged rather than read as 1.5 or 15.
        var message = DataFiles.CsvError(DataFiles.Write(_dir.File("n.csv"), "a,y\n2,0\n1,5,1\n"), "y");
        Assert.Contains("line 3 has 3 fields, expected 2", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("  ", "is empty")]
    [InlineData("?", "missing")]
    [InlineData("NaN", "not a finite")]
    [InlineData("Infinity", "not a finite")]
    [InlineData("-Infinity", "not a finite")]
    [InlineData("1e39", "not a finite")]
    public void EmptyMissingOrNonFiniteCellIsRejectedNamingLineAndColumn(string cell, string problem)
    {
        var message = DataFiles.CsvError(DataFiles.Write(_dir.File("e.csv"), $"a,b,y\n1,2,0\n3,{cell},1\n"), "y");
        Assert.Contains("line 3, column 'b'", message, StringComparison.Ordinal);
        Assert.Contains(problem, message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyTargetCellIsRejectedNamingLineAndColumn()
    {
        var message = DataFiles.CsvError(DataFiles.Write(_dir.File("e.csv"), "a,y\n1,0\n2,\n"), "y");
        Assert.Contains("line 3, column 'y': is empty", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConstantFeatureColumnIsRejectedNamingTheColumn()
    {
        var message = DataFiles.CsvError(DataFiles.Write(_dir.File("c.csv"), "a,flat,y\n1,7,0\n2,7.0,1\n3,7,1\n"), "y");
        Assert.Contains("constant feature column 'flat' (always 7)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void AbsentTargetColumnIsRejectedListingTheAvailableColumns()
    {
        var message = DataFiles.CsvError(DataFiles.Write(_dir.File("t.csv"), "alpha,beta,Class\n1,2,0\n3,4,1\n"), "class");
        Assert.Contains("target column 'class' not found", message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'Class'", message, StringComparison.Ordinal);
        Assert.Contains("the header has 3 columns: 'alpha', 'beta', 'Class'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void TargetWithOneClassIsRejectedNamingTheClass()
    {
        var message = DataFiles.CsvError(DataFiles.Write(_dir.File("o.csv"), "a,y\n1,g\n2,g\n"), "y");
        Assert.Contains("target column 'y' has one class only ('g')", message, StringComparison.Ordinal);
    }

    [Fact]
    public void TargetWithTheSameNumberWrittenTwoWaysIsOneClass()
    {
        var message = DataFiles.CsvError(DataFiles.Write(_dir.File("o.csv"), "a,y\n1,1\n2,1.0\n"), "y");
        Assert.Contains("one class only", message, StringComparison.Ordinal);
    }

    [Fact]
    public void TargetWithMoreThanTwoClassesIsRejectedNamingValuesAndLine()
    {
        var message = DataFiles.CsvError(DataFiles.Write(_dir.File("m.csv"), "a,y\n1,5\n2,2\n3,5\n4,7\n"), "y");
        Assert.Contains("line 5, column 'y'", message, StringComparison.Ordinal);
        Assert.Contains("'7'", message, StringComparison.Ordinal);
        Assert.Contains("'5' and '2'", message, StringComparison.Ordinal);
        Assert.Contains("exactly two classes", message, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateColumnNamesAreRejectedNamingTheColumnAndPositions()
    {
        var message = DataFiles.CsvError(DataFiles.Write(_dir.File("d.csv"), "a,b,a,y\n1,2,3,0\n"), "y");
        Assert.Contains("duplicate column name 'a' (columns 1 and 3)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyColumnNameIsRejectedNamingItsPosition()
    {
        var message = DataFiles.CsvError(DataFiles.Write(_dir.File("d.csv"), "a,,y\n1,2,0\n"), "y");
        Assert.Contains("column 2 has an empty name", message, StringComparison.Ordinal);
    }

    [Fact]
    public void TargetAsOnlyColumnIsRejectedForLackOfFeatures()
    {
        var message = DataFiles.CsvError(DataFiles.Write(_dir.File("d.csv"), "y\n0\n1\n"), "y");
        Assert.Contains("no feature columns", message, StringComparison.Ordinal);
    }
}
