// MSBuild inline task (RoslynCodeTaskFactory, compiled against netstandard2.0: no spans, no newer File APIs).
//
// Why: libLibTorchSharp.so from TorchSharp 0.107 declares a version need on GLIBCXX_3.4.32 (GCC 13),
// which older libstdc++ builds (Debian 12: GCC 12, up to 3.4.30) lack, so the loader refuses it. The
// only symbol bound to that version is _ZSt21ios_base_library_initv, and nothing relocates against it.
// Marking that one Vernaux entry weak (VER_FLG_WEAK) lets the dynamic loader accept the library when the
// version is missing. The patch flips one flag bit in the build-output copy; the NuGet cache is untouched.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class PatchGlibcxxVersionNeed : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    /// <summary>The libLibTorchSharp.so copies to patch (build or publish outputs).</summary>
    [Required]
    public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>The version name whose need is made weak.</summary>
    public string VersionName { get; set; } = "GLIBCXX_3.4.32";

    /// <summary>Candidate paths of the system libstdc++; the patch is skipped if any has the version.</summary>
    public ITaskItem[] SystemLibraries { get; set; } = Array.Empty<ITaskItem>();

    public override bool Execute()
    {
        if (SystemProvidesVersion())
        {
            Log.LogMessage(MessageImportance.Low, "System libstdc++ provides {0}; TorchSharp native library left as shipped.", VersionName);
            return true;
        }

        foreach (var item in Files)
        {
            var path = item.ItemSpec;
            if (!File.Exists(path))
            {
                continue;
            }

            try
            {
                var outcome = PatchFile(path);
                Log.LogMessage(MessageImportance.Normal, "{0}: {1}", path, outcome);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                Log.LogError("Could not patch {0} for {1}: {2}", path, VersionName, ex.Message);
                return false;
            }
        }

        return !Log.HasLoggedErrors;
    }

    private bool SystemProvidesVersion()
    {
        var needle = Encoding.ASCII.GetBytes(VersionName + "\0");
        var anyFound = false;
        foreach (var lib in SystemLibraries)
        {
            if (!File.Exists(lib.ItemSpec))
            {
                continue;
            }

            anyFound = true;
            if (IndexOf(File.ReadAllBytes(lib.ItemSpec), needle) >= 0)
            {
                return true;
            }
        }

        // No libstdc++ found at the usual places (not Linux, or an unusual layout): leave the file alone.
        return !anyFound;
    }

    private string PatchFile(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
        {
            throw new InvalidDataException("not an ELF file");
        }

        if (bytes[4] != 2 || bytes[5] != 1)
        {
            throw new InvalidDataException("only 64-bit little-endian ELF is supported");
        }

        var shoff = (long)BitConverter.ToUInt64(bytes, 0x28);
        var shentsize = BitConverter.ToUInt16(bytes, 0x3A);
        var shnum = BitConverter.ToUInt16(bytes, 0x3C);

        for (var i = 0; i < shnum; i++)
        {
            var sh = (int)(shoff + (long)i * shentsize);
            if (BitConverter.ToUInt32(bytes, sh + 4) != ShtGnuVerneed)
            {
                continue;
            }

            var offset = (int)BitConverter.ToUInt64(bytes, sh + 0x18);
            var link = BitConverter.ToUInt32(bytes, sh + 0x28);
            var info = BitConverter.ToUInt32(bytes, sh + 0x2C);
            var strtabHeader = (int)(shoff + (long)link * shentsize);
            var strtab = (int)BitConverter.ToUInt64(bytes, strtabHeader + 0x18);

            var need = offset;
            for (var n = 0; n < info; n++)
            {
                var auxCount = BitConverter.ToUInt16(bytes, need + 2);
                var aux = need + (int)BitConverter.ToUInt32(bytes, need + 8);
                for (var a = 0; a < auxCount; a++)
                {
                    var nameOffset = BitConverter.ToUInt32(bytes, aux + 8);
                    if (ReadCString(bytes, strtab + (int)nameOffset) == VersionName)
                    {
                        var flags = BitConverter.ToUInt16(bytes, aux + 4);
                        if ((flags & VerFlgWeak) != 0)
                        {
                            return "already patched";
                        }

                        var patched = (ushort)(flags | VerFlgWeak);
                        bytes[aux + 4] = (byte)(patched & 0xff);
                        bytes[aux + 5] = (byte)(patched >> 8);
                        // Write beside and rename so a crash never leaves a half-written library.
                        var temp = path + ".patching";
                        File.WriteAllBytes(temp, bytes);
                        File.Replace(temp, path, null);
                        return "marked " + VersionName + " need weak";
                    }

                    aux += (int)BitConverter.ToUInt32(bytes, aux + 12);
                }

                var next = BitConverter.ToUInt32(bytes, need + 12);
                if (next == 0)
                {
                    break;
                }

                need += (int)next;
            }
        }

        return "no " + VersionName + " need found";
    }

    private static string ReadCString(byte[] bytes, int start)
    {
        var end = start;
        while (end < bytes.Length && bytes[end] != 0)
        {
            end++;
        }

        return Encoding.ASCII.GetString(bytes, start, end - start);
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Length; i++)
        {
            var j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j])
            {
                j++;
            }

            if (j == needle.Length)
            {
                return i;
            }
        }

        return -1;
    }
}
