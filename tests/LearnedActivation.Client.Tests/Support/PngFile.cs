using System.Buffers.Binary;
using System.Text;

namespace LearnedActivation.Client.Tests.Support;

/// <summary>Reads what a test needs from a PNG without an image library: the signature and the IHDR size.</summary>
internal static class PngFile
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// Asserts <paramref name="path"/> is a PNG of the given size and big enough (&gt; 10 KB) to hold a drawing
    /// rather than a blank canvas (a blank 800x600 PNG compresses to a few KB).
    /// </summary>
    public static void AssertValid(string path, int width, int height)
    {
        var (actualWidth, actualHeight) = AssertDrawing(path);
        Assert.Equal(width, actualWidth);
        Assert.Equal(height, actualHeight);
    }

    /// <summary>
    /// Asserts <paramref name="path"/> is a PNG holding a drawing (&gt; 10 KB) of at least the given size, for
    /// figures whose layout follows the data (a grid has as many cells as the sweep has configurations).
    /// </summary>
    public static void AssertValidAtLeast(string path, int minWidth, int minHeight)
    {
        var (width, height) = AssertDrawing(path);
        Assert.True(width >= minWidth && height >= minHeight, $"{path} is {width}x{height}, smaller than {minWidth}x{minHeight}");
    }

    private static (int Width, int Height) AssertDrawing(string path)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 10_000, $"{path} is only {bytes.Length} bytes: probably blank");
        Assert.Equal(Signature, bytes[..8]);

        // The first chunk must be IHDR: 4-byte length (13), "IHDR", then width and height, big-endian.
        Assert.Equal(13u, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(8, 4)));
        Assert.Equal("IHDR", Encoding.ASCII.GetString(bytes, 12, 4));
        return ((int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(16, 4)), (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(20, 4)));
    }
}
