namespace LearnedActivation.Benchmarks;

/// <summary>Finds ../shared/data the way the tests do: LEARNACT_SHARED_DATA, else walking up from here.</summary>
internal static class SharedData
{
    public static string Directory()
    {
        var configured = Environment.GetEnvironmentVariable("LEARNACT_SHARED_DATA");
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "data");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("shared/data not found above the program; set LEARNACT_SHARED_DATA or pass --data FILE");
    }
}
