using System.Globalization;
using LearnedActivation.Model.Analysis;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Reporting.Statistics;
using LearnedActivation.Model.Reporting.Transfer;

namespace LearnedActivation.Model.Reporting.Claims;

/// <summary>
/// The original write-up's claims (a)-(h), each turned into measures of this sweep with a verdict. Shapes are
/// measured in the pre-activations' own units and up to the affine freedom, from the runs' analyses and the
/// pairwise distances; differences count only when their 95 % interval excludes zero; shares are judged by their
/// 95 % Wilson interval against the share the claim's wording implies.
/// </summary>
internal static class StudyClaims
{
    /// <summary>|z| of a dominant extremum "close to x = 0".</summary>
    public const double NearZero = 0.5;

    /// <summary>|log2 slope ratio| of a function that "rises more steeply on one side".</summary>
    public const double Steeper = 0.5;

    /// <summary>Error of the base fitted to the two tails alone at or below which "the base shows at the edges".</summary>
    public const double EdgeFit = 0.1;

    /// <summary>Share for "almost always".</summary>
    public const double AlmostAlways = 0.8;

    /// <summary>Share for a general statement ("the function rises more steeply on one side").</summary>
    public const double Majority = 0.5;

    private const int TailPoints = 101;

    private static readonly string[] GeluFamily = ["gelu", "silu", "mish"];

    /// <param name="runs">The study's runs.</param>
    /// <param name="statistics">Their per-configuration statistics.</param>
    /// <param name="transfers">The study's transfer sweeps, for claim (h) (<see cref="TransferClaim"/>); none: not tested.</param>
    public static IReadOnlyList<Claim> Check(SweepRuns runs, IReadOnlyList<GroupStatistics> statistics, IReadOnlyList<StudyTransfer>? transfers = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(statistics);
        var analysed = runs.Rows.Where(r => r.Outcome == RunOutcome.Completed && ArmGroup.HasActivationNetwork(r.Arm) && r.Analysis is not null).ToList();
        return [Consistency(runs.Shapes), SmallOuterOverfits(analysed), EdgesShowTheBase(runs.Shapes), ExtremumNearZero(analysed),
            SteeperOnOneSide(analysed), FlatOnOneSide(analysed), OnPar(statistics), TransferClaim.Check(transfers ?? [])];
    }

    private static Claim Consistency(SweepShapes shapes)
    {
        const string statement = "tanh-based functions are the most consistent across sizes";
        string[] figures = [SweepFigures.DistanceMatrixFileName];
        if (shapes.Distances is not { } d)
        {
            return new Claim("a", statement, ClaimVerdict.NotTested, string.Create(CultureInfo.InvariantCulture,
                $"More than {SweepShapes.MaxPairwiseRuns} functions: the pairwise distances were not computed."), figures);
        }

        var runs = shapes.Runs;
        // Per arm and seed, per base: the mean distance between functions of different configurations. Comparing
        // bases within one arm and seed pairs them, so the interval is over seeds (and arms), not over dependent pairs.
        var acrossSizes = new Dictionary<(StudyArm Arm, long Seed, BaseActivation Base), double>();
        foreach (var group in runs.Select((r, i) => (r.Run, Index: i)).GroupBy(p => (p.Run.Arm, p.Run.Seed, p.Run.Config.Base)))
        {
            var members = group.ToList();
            var pairs = (from x in members from y in members where x.Index < y.Index select d[x.Index, y.Index]).ToList();
            if (pairs.Count > 0)
            {
                acrossSizes[group.Key] = pairs.Average();
            }
        }

        // The noise floor: the distance between seeds of one configuration.
        var acrossSeeds = runs.Select((r, i) => (r.Run, Index: i))
            .GroupBy(p => (p.Run.Arm, p.Run.Config))
            .SelectMany(g => from x in g from y in g where x.Index < y.Index select (g.Key.Config.Base, Distance: d[x.Index, y.Index]))
            .GroupBy(p => p.Base)
            .ToDictionary(g => g.Key, g => g.Average(p => p.Distance));

        var bases = acrossSizes.Keys.Select(k => k.Base).Distinct().Order().ToList();
        if (!bases.Contains(BaseActivation.Tanh) || bases.Count < 2)
        {
            return new Claim("a", statement, ClaimVerdict.NotTested, "Needs tanh and at least one other base with several sizes.", figures);
        }

        var text = new List<string>();
        var meanText = string.Join(", ", bases.Select(b => $"{Names.Of(b)} {Fixed(acrossSizes.Where(p => p.Key.Base == b).Average(p => p.Value))}"
            + (acrossSeeds.TryGetValue(b, out var s) ? $" (seeds of one configuration: {Fixed(s)})" : string.Empty)));
        text.Add($"Mean affine-invariant distance between functions of different sizes, same seed: {meanText}.");
        var subTests = new List<SubTest>();
        foreach (var other in bases.Where(b => b != BaseActivation.Tanh))
        {
            var differences = acrossSizes
                .Where(p => p.Key.Base == other && acrossSizes.ContainsKey((p.Key.Arm, p.Key.Seed, BaseActivation.Tanh)))
                .Select(p => p.Value - acrossSizes[(p.Key.Arm, p.Key.Seed, BaseActivation.Tanh)]);
            var difference = MeanInterval.Of(differences);
            subTests.Add(SubTests.Positive(difference));
            text.Add($"{Names.Of(other)} − tanh: {Difference(difference)}.");
        }

        text.Add("Supported when every other base's distance exceeds tanh's with an interval above zero (paired by seed and arm).");
        return new Claim("a", statement, Claim.Combine(subTests), string.Join(' ', text), figures);
    }

    private static Claim SmallOuterOverfits(IReadOnlyList<RunSummary> analysed)
    {
        const string statement = "relu- and gelu-based functions overfit when the outer network is small, with extra local extrema";
        var subTests = new List<SubTest>();
        var text = new List<string>();
        foreach (var b in new[] { BaseActivation.Relu, BaseActivation.Gelu })
        {
            var pairs = PairedBySize(analysed.Where(r => r.Config.Base == b).ToList());
            if (pairs.Count == 0)
            {
                continue;
            }

            var extrema = MeanInterval.Of(pairs.Select(p => (double)(p.Small.Analysis!.ExtremaCount - p.Large.Analysis!.ExtremaCount)));
            var gap = MeanInterval.Of(pairs.Select(p => LossGap(p.Small) - LossGap(p.Large)));
            subTests.Add(SubTests.Positive(extrema));
            subTests.Add(SubTests.Positive(gap));
            text.Add($"{Names.Of(b)}, outer small − large (paired by activation size, seed and arm): extrema {Difference(extrema, "F2")}, "
                + $"validation − training loss at the best epoch {Difference(gap)}.");
        }

        if (text.Count == 0)
        {
            return new Claim("b", statement, ClaimVerdict.NotTested, "Needs relu or gelu runs with both small and large outer networks.", [.. FigureNames("shape_heatmaps")]);
        }

        text.Add("Supported when both differences are above zero for both bases.");
        return new Claim("b", statement, Claim.Combine(subTests), string.Join(' ', text), [.. FigureNames("shape_heatmaps")]);
    }

    private static Claim EdgesShowTheBase(SweepShapes shapes)
    {
        const string statement = "at the edges the base shows (saturation for tanh, straight lines for relu, slight curvature for gelu)";
        var subTests = new List<SubTest>();
        var text = new List<string>();
        foreach (var group in shapes.Runs.GroupBy(r => r.Run.Config.Base).OrderBy(g => g.Key))
        {
            // One full affine search per run (tens of milliseconds each): on all cores, as the shape matrix is.
            var share = new Share(group.AsParallel().Count(r => EdgeError(r) <= EdgeFit), group.Count());
            subTests.Add(SubTests.Above(share, Majority));
            text.Add($"{Names.Of(group.Key)}: {share}.");
        }

        if (text.Count == 0)
        {
            return new Claim("c", statement, ClaimVerdict.NotTested, "No run recorded its pre-activations.", []);
        }

        text.Insert(0, string.Create(CultureInfo.InvariantCulture,
            $"Runs whose own base, fitted to the two tails alone (z over [p0.5, p5] and [p95, p99.5]), leaves an error of at most {EdgeFit}:"));
        text.Add("Supported per base when that share's interval lies above one half.");
        return new Claim("c", statement, Claim.Combine(subTests), string.Join(' ', text), [.. FigureNames("functions_by_seed")]);
    }

    private static Claim ExtremumNearZero(List<RunSummary> analysed)
    {
        const string statement = "there is almost always a clear minimum or maximum close to x = 0";
        var share = new Share(analysed.Count(r => r.Analysis!.Dominant is { } d && Math.Abs(d.Z) <= NearZero), analysed.Count);
        return ShareClaim("d", statement, share, AlmostAlways, string.Create(CultureInfo.InvariantCulture,
            $"Runs whose dominant extremum (prominence ≥ 2 % of the range) lies within |z| ≤ {NearZero} of the median pre-activation"), FigureNames("functions_by_seed"));
    }

    private static Claim SteeperOnOneSide(List<RunSummary> analysed)
    {
        const string statement = "the function rises more steeply on one side than on the other";
        var share = new Share(analysed.Count(r => Math.Abs(r.Analysis!.Asymmetry) >= Steeper), analysed.Count);
        return ShareClaim("e", statement, share, Majority, string.Create(CultureInfo.InvariantCulture,
            $"Runs with |asymmetry| = |log2(mean |f'| right of the median / left of it)| ≥ {Steeper}"), FigureNames("functions_by_seed"));
    }

    private static Claim FlatOnOneSide(IReadOnlyList<RunSummary> analysed)
    {
        const string statement = "some relu/gelu-based functions stay flat on one side, resembling gelu";
        var candidates = analysed.Where(r => r.Config.Base is BaseActivation.Relu or BaseActivation.Gelu).ToList();
        var oneFlat = candidates.Where(r => r.Analysis!.Tails.LeftFlat != r.Analysis.Tails.RightFlat).ToList();
        var geluLike = oneFlat.Count(r => r.Analysis!.Nearest.Name.Split('|').Any(n => GeluFamily.Contains(n)));
        var share = new Share(geluLike, candidates.Count);
        if (candidates.Count == 0)
        {
            return new Claim("f", statement, ClaimVerdict.NotTested, "No relu or gelu run with an analysis.", []);
        }

        var text = string.Create(CultureInfo.InvariantCulture,
            $"relu/gelu runs with exactly one flat tail (mean |f'| below {ShapeAnalysis.FlatTail} of the average): {oneFlat.Count} of {candidates.Count}; "
            + $"of those nearest to gelu, silu or mish: {share}. Supported when at least one is (\"some\").");
        return new Claim("f", statement, Claim.Combine([SubTests.Above(share, 0.0)]), text, [.. FigureNames("shape_heatmaps")]);
    }

    private static Claim OnPar(IReadOnlyList<GroupStatistics> statistics)
    {
        const string statement = "performance is on par with the base activations";
        var arm = statistics.Any(s => s.Group.Arm == StudyArm.Learned) ? StudyArm.Learned : StudyArm.Warm;
        var compared = statistics.Where(s => s.Group.Arm == arm && s.Against(StudyArm.Fixed) is not null).ToList();
        if (compared.Count == 0)
        {
            return new Claim("g", statement, ClaimVerdict.NotTested, "The sweep has no `fixed` arm to pair the learned runs with.", []);
        }

        var verdicts = compared.Select(s => s.Against(StudyArm.Fixed)!.Verdict).ToList();
        var counts = string.Join(", ", Enum.GetValues<ComparisonVerdict>()
            .Select(v => (Verdict: v, Count: verdicts.Count(x => x == v))).Where(p => p.Count > 0)
            .Select(p => $"{p.Count} {Equivalence.Name(p.Verdict)}"));
        var mean = MeanInterval.Of(compared.Select(s => s.Against(StudyArm.Fixed)!.Difference.Mean));
        var text = string.Create(CultureInfo.InvariantCulture,
            $"Paired test-accuracy difference {Names.Of(arm)} − fixed per configuration at a ±{Equivalence.Margin * 100:0.#} pp margin: {counts} "
            + $"(of {compared.Count}); mean over configurations {Difference(mean)}. Supported when every configuration is on par.");
        var subTests = verdicts.Select(v => v switch
        {
            ComparisonVerdict.OnPar => SubTest.Supports,
            ComparisonVerdict.Inconclusive => SubTest.Undecided,
            _ => SubTest.Contradicts,
        });
        return new Claim("g", statement, Claim.Combine(subTests), text, []);
    }

    private static Claim ShareClaim(string letter, string statement, Share share, double threshold, string measure, IEnumerable<string> figures)
    {
        if (share.Total == 0)
        {
            return new Claim(letter, statement, ClaimVerdict.NotTested, "No run with an analysis.", [.. figures]);
        }

        var text = string.Create(CultureInfo.InvariantCulture, $"{measure}: {share}. Supported when the interval lies above {threshold:P0}.");
        return new Claim(letter, statement, Claim.Combine([SubTests.Above(share, threshold)]), text, [.. figures]);
    }

    /// <summary>Runs of one base paired small outer with large outer by arm, activation size and seed.</summary>
    private static List<(RunSummary Small, RunSummary Large)> PairedBySize(IReadOnlyList<RunSummary> runs)
    {
        var large = runs.Where(r => r.Config.Outer == SizePreset.Large).ToDictionary(r => (r.Arm, r.Config.Activation, r.Seed));
        return [.. runs.Where(r => r.Config.Outer == SizePreset.Small && large.ContainsKey((r.Arm, r.Config.Activation, r.Seed)))
            .Select(r => (r, large[(r.Arm, r.Config.Activation, r.Seed)]))];
    }

    /// <summary>Validation loss minus training loss at the kept epoch; NaN when the run recorded no curves.</summary>
    private static double LossGap(RunSummary run)
    {
        var curves = run.Curves;
        var i = run.BestEpoch - 1;
        return curves is null || i < 0 || i >= curves.TrainLoss.Length || i >= curves.ValidationLoss.Length
            ? double.NaN
            : curves.ValidationLoss[i] - curves.TrainLoss[i];
    }

    /// <summary>The error of the run's own base fitted to its two tails alone.</summary>
    private static double EdgeError(ShapedRun run)
    {
        var f = run.Function;
        var p = f.Pooled;
        var z = Linspace(f.ToZ(p.P0_5), f.ToZ(p.P5)).Concat(Linspace(f.ToZ(p.P95), f.ToZ(p.P99_5))).ToList();
        return NearestFunction.Fit(Names.Of(run.Run.Config.Base), z, [.. z.Select(f.Evaluate)]).Error;
    }

    private static IEnumerable<double> Linspace(double low, double high) =>
        Enumerable.Range(0, TailPoints).Select(i => low + ((high - low) * i / (TailPoints - 1)));

    private static IEnumerable<string> FigureNames(string prefix) =>
        SweepFigures.PerBase.Where(f => f.FilePrefix == prefix).Select(f => f.FilePrefix + "_{base}.png");

    private static string Fixed(double value, string format = "F3") => value.ToString(format, CultureInfo.InvariantCulture);

    private static string Difference(MeanInterval? difference, string format = "F3") => difference switch
    {
        null => "no pairs",
        { HasInterval: false } => $"{Fixed(difference.Mean, format)} (one pair: no interval)",
        _ => $"{(difference.Mean >= 0 ? "+" : string.Empty)}{Fixed(difference.Mean, format)} (95 % CI {Fixed(difference.Low, format)} to {Fixed(difference.High, format)}, n = {difference.N})",
    };
}
