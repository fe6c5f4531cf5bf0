using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using LearnedActivation.Client.Tests.Support;

namespace LearnedActivation.Client.Tests;

/// <summary>
/// The bad-input corpus: hostile and broken inputs to <c>train</c> and <c>sweep</c>, each run as the real process
/// with its managed heap capped at 1 GiB (the documented bound of the default limits) and a deadline. Every one
/// must end with exit code 2 and a single error line that names the input: no OutOfMemoryException, no libtorch
/// abort, no stack trace, no hang, and no file content beyond a short excerpt.
/// </summary>
[Collection(SweepProcessGroup.Name)]
public sealed class BadInputCorpusExitsWithCodeTwo : IDisposable
{
    private const string Secret = "corpus-secret-7f3a9c";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private readonly TempDirectory _work = new();

    public void Dispose() => _work.Dispose();

    public static TheoryData<string> Cases =>
    [
        "dev-zero", "fifo", "wide-header", "many-columns", "long-line", "rows-over-limit", "gzip-bomb", "one-class-split",
        "proc-environ", "threads", "sweep-dev-zero", "sweep-one-class-split", "sweep-id-newline", "sweep-id-reserved",
        "spec-seeds", "spec-threads", "spec-dev-zero", "spec-too-large",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task RejectedInOneLineWithExitCodeTwoUnderAMemoryCap(string name)
    {
        var (args, environment, named, problem) = await PrepareAsync(name);
        var variables = new Dictionary<string, string>(SiloPorts.FreshEnvironment())
        {
            ["DOTNET_GCHeapHardLimit"] = "0x40000000",
            ["CORPUS_SECRET"] = Secret,
        };
        foreach (var (key, value) in environment)
        {
            variables[key] = value;
        }

        var clock = Stopwatch.StartNew();
        var result = await LearnactProcess.RunAsync(_work.Path, Deadline, variables, args);

        var line = ErrorOutput.AssertBadInput(result.ExitCode, result.Lines, $"{name} after {clock.Elapsed.TotalSeconds:0.0} s; {result}");
        Assert.Contains(named, line, StringComparison.Ordinal);
        Assert.Contains(problem, line, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, result.ToString(), StringComparison.Ordinal);
        Assert.True(line.Length < 600, $"the error line is {line.Length} characters: {line}");
    }

    private async Task<(string[] Args, Dictionary<string, string> Environment, string Named, string Problem)> PrepareAsync(string name)
    {
        var none = new Dictionary<string, string>();
        var trainOut = new[] { "--epochs", "1", "--out", _work.File("out") };
        switch (name)
        {
            case "dev-zero":
                return (["train", "--data", "/dev/zero", "--target", "y", .. trainOut], none, "/dev/zero", "not a regular file");
            case "fifo":
                var fifo = _work.File("pipe.csv");
                await MakeFifoAsync(fifo);
                return (["train", "--data", fifo, "--target", "y", .. trainOut], none, fifo, "not a regular file");
            case "wide-header":
                // The header of the issue: 200,000 columns, longer than a line may be.
                var wide = Write("wide.csv", string.Join(',', Enumerable.Range(0, 200_000).Select(i => $"c{i}")) + ",y\n1\n");
                return (["train", "--data", wide, "--target", "y", .. trainOut], none, wide, "longer than 1048576 characters");
            case "many-columns":
                var columns = Write("columns.csv", string.Join(',', Enumerable.Range(0, 1_500).Select(i => $"c{i}")) + ",y\n");
                return (["train", "--data", columns, "--target", "y", .. trainOut], none, columns, "1501 columns, more than the limit of 1000");
            case "long-line":
                var longLine = Write("long.csv", "a,y\n" + new string('7', 3 << 20) + ",1\n");
                return (["train", "--data", longLine, "--target", "y", .. trainOut], none, longLine, "line 2 is longer than");
            case "rows-over-limit":
                var rows = CovertypeSample.Write(_work.File("rows.csv"), 300);
                return (["train", "--data", rows, "--target", CovertypeSample.Target, .. trainOut], new() { ["LEARNACT_Data__MaxRows"] = "200" }, rows, "more than 200 data rows");
            case "gzip-bomb":
                var bomb = WriteBomb("bomb.csv.gz", inflatedBytes: 200 << 20);
                return (["train", "--data", bomb, "--target", "y", .. trainOut], new() { ["LEARNACT_Data__MaxBytes"] = "10000000" }, bomb, "decompresses to more than 10000000 bytes");
            case "one-class-split":
                var oneClass = WriteOnePositive("one-positive.csv");
                return (["train", "--data", oneClass, "--target", "y", .. trainOut], none, oneClass, "split would hold one class only");
            case "proc-environ":
                return (["train", "--data", "/proc/self/environ", "--target", "y", .. trainOut], none, "/proc/self/environ", "not a text data file");
            case "threads":
                return (["train", "--threads", "100000", .. trainOut], none, "--threads", "cores");
            case "sweep-dev-zero":
                return (["sweep", "--data", "/dev/zero", "--target", "y", "--store", _work.File("store")], none, "/dev/zero", "not a regular file");
            case "sweep-one-class-split":
                var sweepOneClass = WriteOnePositive("sweep-one-positive.csv");
                return (["sweep", "--data", sweepOneClass, "--target", "y", "--store", _work.File("store")], none, sweepOneClass, "split would hold one class only");
            case "sweep-id-newline":
                return (["sweep", "--id", "study\n", "--store", _work.File("store")], none, "'study\\n'", "not a valid sweep id");
            case "sweep-id-reserved":
                return (["sweep", "--id", "logs", "--store", _work.File("store")], none, "'logs'", "reserved");
            case "spec-seeds":
                var seeds = Write("seeds.json", $$"""{"seeds": [{{string.Join(',', Enumerable.Range(0, 100_000))}}]}""");
                return (["sweep", "--spec", seeds, "--store", _work.File("store")], none, "seeds.json: seeds", "more than the limit of 10000");
            case "spec-threads":
                var threads = Write("threads.json", """{"torchThreads": 100000}""");
                return (["sweep", "--spec", threads, "--store", _work.File("store")], none, "threads.json: torchThreads", "cores");
            case "spec-dev-zero":
                return (["sweep", "--spec", "/dev/zero", "--store", _work.File("store")], none, "/dev/zero", "not a regular file");
            case "spec-too-large":
                var large = Write("large.json", "{" + new string(' ', 2 << 20) + "}");
                return (["sweep", "--spec", large, "--store", _work.File("store")], none, large, "larger than");
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "no such case");
        }
    }

    private string Write(string file, string content) => _work.Write(file, content);

    /// <summary>1,000 rows, one of them positive: the stratified split leaves validation and test with one class.</summary>
    private string WriteOnePositive(string file) =>
        Write(file, "a,b,y\n" + string.Concat(Enumerable.Range(0, 1_000).Select(i => $"{i},{i % 13},{(i == 0 ? 1 : 0)}\n")));

    /// <summary>A small gzip file that inflates to <paramref name="inflatedBytes"/> of valid rows.</summary>
    private string WriteBomb(string file, int inflatedBytes)
    {
        var path = _work.File(file);
        var block = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("1,0\n2,1\n", 1 << 14)));
        using var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        gzip.Write("a,y\n"u8);
        for (var written = 0; written < inflatedBytes; written += block.Length)
        {
            gzip.Write(block);
        }

        return path;
    }

    private static async Task MakeFifoAsync(string path)
    {
        using var mkfifo = Process.Start("mkfifo", [path]);
        await mkfifo.WaitForExitAsync();
        Assert.Equal(0, mkfifo.ExitCode);
    }
}
