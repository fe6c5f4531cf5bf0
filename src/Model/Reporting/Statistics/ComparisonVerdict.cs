namespace LearnedActivation.Model.Reporting.Statistics;

/// <summary>What a paired difference's 95 % interval says at the ±<see cref="Equivalence.Margin"/> equivalence margin.</summary>
public enum ComparisonVerdict
{
    /// <summary>The interval lies inside (-margin, +margin): any difference is too small to matter.</summary>
    OnPar,

    /// <summary>The interval lies above zero and reaches beyond the margin.</summary>
    Better,

    /// <summary>The interval lies below zero and reaches beyond the margin.</summary>
    Worse,

    /// <summary>The interval contains zero and reaches beyond the margin, or there is no interval (one pair).</summary>
    Inconclusive,
}

/// <summary>The equivalence rule the reports apply to paired differences of accuracy (fractions, so 0.005 is 0.5 pp).</summary>
public static class Equivalence
{
    public const double Margin = 0.005;

    public static ComparisonVerdict Judge(MeanInterval? difference, double margin = Margin)
    {
        if (difference is null || !difference.HasInterval)
        {
            return ComparisonVerdict.Inconclusive;
        }

        // Inside the margin wins over "excludes zero": a real but negligible difference is "on par".
        if (difference.Low > -margin && difference.High < margin)
        {
            return ComparisonVerdict.OnPar;
        }

        return difference.Low > 0 ? ComparisonVerdict.Better : difference.High < 0 ? ComparisonVerdict.Worse : ComparisonVerdict.Inconclusive;
    }

    /// <summary>"on par", "better", "worse", "inconclusive".</summary>
    public static string Name(ComparisonVerdict verdict) => verdict switch
    {
        ComparisonVerdict.OnPar => "on par",
        ComparisonVerdict.Better => "better",
        ComparisonVerdict.Worse => "worse",
        _ => "inconclusive",
    };
}
