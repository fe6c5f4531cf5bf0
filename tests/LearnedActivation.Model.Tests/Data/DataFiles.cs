using System.IO.Compression;
using System.Text;
using LearnedActivation.Model.Data;

namespace LearnedActivation.Model.Tests.Data;

/// <summary>Writes small test files and checks the shape every data error must have.</summary>
internal static class DataFiles
{
    public static string Write(string path, string content)
    {
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    public static string WriteGzip(string path, string content)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(Encoding.UTF8.GetBytes(content));
        return path;
    }

    /// <summary>Loads a CSV expecting failure; asserts the message is one line that starts with the file.</summary>
    public static string CsvError(string path, string target)
    {
        var error = Assert.Throws<DataException>(() => new CsvDataSource(path, target).Load());
        AssertOneLine(error.Message);
        Assert.StartsWith(path + ":", error.Message, StringComparison.Ordinal);
        return error.Message;
    }

    public static void AssertOneLine(string message)
    {
        Assert.DoesNotContain('\n', message);
        Assert.DoesNotContain('\r', message);
    }
}
