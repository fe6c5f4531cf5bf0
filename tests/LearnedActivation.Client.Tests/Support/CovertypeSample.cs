using System.IO.Compression;
using System.Text;

namespace LearnedActivation.Client.Tests.Support;

/// <summary>
/// The header and the first rows of the shared covertype file as a small plain CSV (target column "target"):
/// real data, small enough that two epochs take a second.
/// </summary>
internal static class CovertypeSample
{
    public const string Target = "target";

    public static string Write(string path, int rows)
    {
        using var gzip = new GZipStream(File.OpenRead(SharedData.CovertypeBinary10), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        writer.NewLine = "\n";
        for (var i = 0; i <= rows; i++)
        {
            var line = reader.ReadLine() ?? throw new InvalidDataException($"{SharedData.CovertypeBinary10} has fewer than {rows} rows");
            writer.WriteLine(line);
        }

        return path;
    }
}
