using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using LearnedActivation.Model.Data;

namespace LearnedActivation.Model.Tests.Data;

/// <summary>
/// Each limit of <see cref="DataLimits"/> stops the reader with one line naming the file, the limit and the setting
/// that raises it, and files that are not regular text files are refused before they are read.
/// </summary>
public sealed class ReadersStopAtTheirLimits : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ALineLongerThanTheLimitIsRefusedWithoutReadingTheRest()
    {
        var path = _dir.Write("long.csv", "a,y\n" + new string('1', 5_000) + ",0\n");

        var error = Load(path, new DataLimits { MaxLineLength = 1_000 });

        Assert.Contains("line 2 is longer than 1000 characters", error, StringComparison.Ordinal);
        Assert.Contains("Data:MaxLineLength", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileWithoutLineBreaksStopsAtTheLineLimit()
    {
        // Ten times the limit, one line: the reader must give up at the limit, not look for the end.
        var path = _dir.Write("oneline.csv", string.Concat(Enumerable.Repeat("x,", 50_000)));

        var error = Load(path, new DataLimits { MaxLineLength = 10_000 });

        Assert.Contains("line 1 is longer than 10000 characters", error, StringComparison.Ordinal);
    }

    [Fact]
    public void MoreColumnsThanTheLimitAreRefusedBeforeTheHeaderIsSplit()
    {
        var header = string.Join(',', Enumerable.Range(0, 2_001).Select(i => $"c{i}"));
        var path = _dir.Write("wide.csv", header + "\n");

        var error = Load(path, new DataLimits { MaxColumns = 2_000 });

        Assert.Contains("2001 columns, more than the limit of 2000", error, StringComparison.Ordinal);
        Assert.Contains("Data:MaxColumns", error, StringComparison.Ordinal);
    }

    [Fact]
    public void MoreRowsThanTheLimitAreRefusedNamingTheLine()
    {
        var path = _dir.Write("long.csv", "a,y\n" + string.Concat(Enumerable.Range(0, 101).Select(i => $"{i},{i % 2}\n")));

        var error = Load(path, new DataLimits { MaxRows = 100 });

        Assert.Contains("line 102: more than 100 data rows", error, StringComparison.Ordinal);
        Assert.Contains("Data:MaxRows", error, StringComparison.Ordinal);
    }

    [Fact]
    public void MoreFeatureValuesThanTheLimitAreRefused()
    {
        var path = _dir.Write("values.csv", "a,b,c,y\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"{i},{i + 1},{i + 2},{i % 2}\n")));

        var error = Load(path, new DataLimits { MaxValues = 90 });

        // 30 rows x 3 features fill the limit; the 31st row (line 32) would pass it.
        Assert.Contains("line 32: more than 90 feature values (30 rows x 3 features)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ExactlyAtEveryLimitTheFileLoads()
    {
        var path = _dir.Write("fits.csv", "a,b,y\n" + string.Concat(Enumerable.Range(0, 50).Select(i => $"{i},{i * 2},{i % 2}\n")));
        var limits = new DataLimits { MaxColumns = 3, MaxRows = 50, MaxValues = 100, MaxLineLength = 8, MaxBytes = new FileInfo(path).Length };

        var data = new CsvDataSource(path, "y", limits).Load();

        Assert.Equal(50, data.Rows);
    }

    [Fact]
    public void GzipThatInflatesPastTheByteLimitIsRefused()
    {
        // 6 MB of rows from a file of a few kilobytes.
        var path = _dir.File("bomb.csv.gz");
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.SmallestSize))
        {
            gzip.Write("a,y\n"u8);
            var rows = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("1,0\n2,1\n", 1 << 15)));
            for (var i = 0; i < 24; i++)
            {
                gzip.Write(rows);
            }
        }

        var error = Load(path, new DataLimits { MaxBytes = 1_000_000 });

        Assert.Contains("decompresses to more than 1000000 bytes", error, StringComparison.Ordinal);
        Assert.Contains("Data:MaxBytes", error, StringComparison.Ordinal);
    }

    [Fact]
    public void DevZeroIsRefusedWithoutReadingIt()
    {
        var error = Assert.Throws<DataException>(() => new CsvDataSource("/dev/zero", "y").Load()).Message;

        Assert.Equal("/dev/zero: not a regular file (a device, FIFO or socket); data must be a regular CSV or ARFF file", error);
    }

    [Fact]
    public async Task AFifoIsRefusedWithoutWaitingForAWriter()
    {
        var fifo = _dir.File("pipe.csv");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        // Opening a FIFO for reading blocks until a writer comes: the refusal must come first.
        var load = Task.Run(() => new CsvDataSource(fifo, "y").Load());
        var error = await Assert.ThrowsAsync<DataException>(() => load.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Contains("not a regular file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADirectoryIsRefused()
    {
        var error = Load(_dir.Path, DataLimits.Default);

        Assert.Contains("is a directory", error, StringComparison.Ordinal);
    }

    [Fact]
    public void BinaryContentIsRefusedWithoutQuotingIt()
    {
        // What /proc/self/environ looks like: NUL-separated variables, one of them a secret.
        var path = _dir.Write("environ", "HOME=/root\0API_KEY=secret-value-123\0PATH=/usr/bin\0");

        var error = Load(path, DataLimits.Default);

        Assert.Contains("NUL character: not a text data file", error, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error, StringComparison.Ordinal);
        Assert.DoesNotContain("HOME", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingTargetShowsOnlyAShortEscapedExcerptOfTheHeader()
    {
        var names = Enumerable.Range(0, 30).Select(i => $"column_{i}_" + new string('x', 60)).ToList();
        names[0] = "first\tname";
        var path = _dir.Write("header.csv", string.Join(',', names) + "\n1\n");

        var error = Load(path, DataLimits.Default);

        Assert.Contains("target column 'y' not found; the header has 30 columns, starting 'first\\tname'", error, StringComparison.Ordinal);
        Assert.DoesNotContain("column_5_", error, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('x', 41), error, StringComparison.Ordinal);
        Assert.True(error.Length < 400, error);
    }

    [Fact]
    public void ArffWithMoreAttributesThanTheLimitIsRefused()
    {
        var header = string.Concat(Enumerable.Range(0, 11).Select(i => $"@attribute a{i} numeric\n"));
        var path = _dir.Write("wide.arff", "@relation r\n" + header + "@data\n");

        var error = Assert.Throws<DataException>(() => ArffReader.Read(path, "a0", limits: new DataLimits { MaxColumns = 10 })).Message;

        Assert.Contains("11 columns, more than the limit of 10", error, StringComparison.Ordinal);
    }

    [Fact]
    public void NonPositiveLimitsAreNamed()
    {
        Assert.Equal("Data:MaxRows: must be positive (got 0)", new DataLimits { MaxRows = 0 }.FirstError());
        Assert.Null(DataLimits.Default.FirstError());
    }

    private static string Load(string path, DataLimits limits)
    {
        var error = Assert.Throws<DataException>(() => new CsvDataSource(path, "y", limits).Load()).Message;
        DataFiles.AssertOneLine(error);
        Assert.StartsWith(path + ":", error, StringComparison.Ordinal);
        return error;
    }
}
