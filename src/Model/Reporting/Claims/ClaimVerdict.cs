namespace LearnedActivation.Model.Reporting.Claims;

public enum ClaimVerdict
{
    Supported,
    NotSupported,
    Mixed,
    NotTested,
}

/// <summary>One claim of the original write-up with the verdict this sweep's numbers give it.</summary>
/// <param name="Letter">"a" to "h", as the write-up's claims are listed.</param>
/// <param name="Statement">The claim in one sentence.</param>
/// <param name="Verdict">What the numbers say.</param>
/// <param name="Evidence">The numbers and the rule behind the verdict (Markdown, one paragraph).</param>
/// <param name="Figures">File names of the report's figures that show it.</param>
public sealed record Claim(string Letter, string Statement, ClaimVerdict Verdict, string Evidence, IReadOnlyList<string> Figures)
{
    public static string Name(ClaimVerdict verdict) => verdict switch
    {
        ClaimVerdict.Supported => "supported",
        ClaimVerdict.NotSupported => "not supported",
        ClaimVerdict.Mixed => "mixed",
        _ => "not tested",
    };

    /// <summary>
    /// The verdict of a claim made of several sub-tests (per base, per measure), ignoring those that could not be
    /// run: every one supports it → supported; none does → not supported; some do → mixed; none could be run → not
    /// tested. A sub-test supports only when its interval excludes the contrary, so a difference whose interval
    /// includes zero never counts for the claim.
    /// </summary>
    public static ClaimVerdict Combine(IEnumerable<SubTest> subTests)
    {
        ArgumentNullException.ThrowIfNull(subTests);
        var tested = subTests.Where(t => t != SubTest.Untested).ToList();
        if (tested.Count == 0)
        {
            return ClaimVerdict.NotTested;
        }

        return tested.All(t => t == SubTest.Supports) ? ClaimVerdict.Supported
            : tested.Any(t => t == SubTest.Supports) ? ClaimVerdict.Mixed
            : ClaimVerdict.NotSupported;
    }
}

/// <summary>What one measured part of a claim says.</summary>
public enum SubTest
{
    /// <summary>The interval lies on the claim's side.</summary>
    Supports,

    /// <summary>The interval lies on the other side.</summary>
    Contradicts,

    /// <summary>The interval straddles the line.</summary>
    Undecided,

    /// <summary>Not enough runs or seeds to have an interval.</summary>
    Untested,
}

/// <summary>Sub-test outcomes from intervals.</summary>
public static class SubTests
{
    /// <summary>From a mean difference's interval: above zero supports, below contradicts.</summary>
    public static SubTest Positive(Statistics.MeanInterval? difference) =>
        difference is null || !difference.HasInterval ? SubTest.Untested
        : difference.Low > 0 ? SubTest.Supports
        : difference.High < 0 ? SubTest.Contradicts
        : SubTest.Undecided;

    /// <summary>From a share's interval against <paramref name="threshold"/>.</summary>
    public static SubTest Above(Share share, double threshold) => share.Total == 0 ? SubTest.Untested : share.Exceeds(threshold) switch
    {
        true => SubTest.Supports,
        false => SubTest.Contradicts,
        _ => SubTest.Undecided,
    };
}
