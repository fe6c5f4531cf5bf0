namespace LearnedActivation.Tests;

/// <summary>
/// Locates ../shared/data (the real data sets, never committed): LEARNACT_SHARED_DATA, else the first
/// "shared/data" folder above the running binary. Linked into every test and benchmark project.
/// </summary>
public static class SharedData
{
    public static string Root { get; } = Locate();

    public static string CovertypeBinary10 => Path.Combine(Root, "covertype", "covertype_binary10_from_mlpack_subset_100k.csv.gz");

    public static string Grinsztajn(string name) => Path.Combine(Root, "grinsztajn_clf_num", name + ".csv.gz");

    private static string Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable("LEARNACT_SHARED_DATA");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return fromEnv;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("shared/data not found above " + AppContext.BaseDirectory + "; set LEARNACT_SHARED_DATA");
    }
}
