using System.Globalization;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Reporting.Statistics;
using LearnedActivation.Model.Reporting.Transfer;

namespace LearnedActivation.Model.Reporting.Claims;

/// <summary>
/// Claim (h), "learned functions did not transfer to another task", judged from the study's finished transfer
/// sweeps (<c>learnact transfer</c>). The unit is a cell: one source configuration of the study on one target data
/// set (one row of a transfer's table), with the paired differences of test accuracy against <c>fixed</c> over the
/// transfer's seeds. In a cell:
/// <list type="bullet">
/// <item>a <em>gain</em>: <c>frozen</c> or <c>finetuned</c> is better than <c>fixed</c> (interval above zero and
/// reaching past the margin, <see cref="Equivalence"/>);</item>
/// <item><em>no gain</em>: neither is better, and each is worse, on par, or inconclusive with a mean at or below
/// zero;</item>
/// <item>otherwise undecided (an inconclusive interval around a positive mean: neither a gain nor its absence is shown).</item>
/// </list>
/// A cell counts only when at least one of <c>frozen</c> and <c>finetuned</c> has an interval (two or more seeds).
/// The control, <c>frozen</c> − <c>random-frozen</c>, says whether the learned shape beats a random curve of the same
/// size. Verdict: <b>not supported</b> when more than half the cells show a gain; <b>supported</b> when more than
/// half show no gain and <c>frozen</c> is better than <c>random-frozen</c> in at most half the cells that have that
/// pair; <b>mixed</b> otherwise; <b>not tested</b> without a finished transfer sweep that has such a cell. No
/// difference whose interval includes zero ever counts as a gain or as a loss.
/// </summary>
internal static class TransferClaim
{
    public const string Letter = "h";

    public const string Statement = "learned functions did not transfer to another task";

    /// <summary>The arms whose gain would mean the learned function transferred.</summary>
    private static readonly StudyArm[] Transferred = [StudyArm.Frozen, StudyArm.Finetuned];

    private enum Cell
    {
        Gain,
        NoGain,
        Undecided,
    }

    public static Claim Check(IReadOnlyList<StudyTransfer> transfers)
    {
        ArgumentNullException.ThrowIfNull(transfers);
        var finished = transfers.Where(t => t.Finished).ToList();
        var unfinished = transfers.Count - finished.Count;
        var figures = finished.Select(t => StudyTransfer.FigureCopyName(t.SweepId)).ToList();
        var rows = finished.SelectMany(t => TransferStatistics.Of(t.Runs)).ToList();
        var cells = rows.Where(r => Transferred.Any(a => r.Comparisons.GetValueOrDefault(a)?.Difference.HasInterval == true)).ToList();
        var pending = unfinished > 0 ? $" {unfinished} transfer sweep(s) not finished yet are not counted." : string.Empty;
        if (cells.Count == 0)
        {
            var why = finished.Count == 0
                ? "No finished transfer sweep of this study (run `learnact transfer` on it)."
                : "The finished transfer sweeps have no source configuration with at least two seeds of `frozen` or `finetuned` and `fixed`: no interval.";
            return new Claim(Letter, Statement, ClaimVerdict.NotTested, why + pending, figures);
        }

        var outcomes = cells.Select(Judge).ToList();
        var gains = outcomes.Count(c => c == Cell.Gain);
        var noGains = outcomes.Count(c => c == Cell.NoGain);
        var controls = cells.Select(r => r.FrozenVsRandom).Where(c => c?.Difference.HasInterval == true).Select(c => c!.Verdict).ToList();
        var shapeHelps = controls.Count(v => v == ComparisonVerdict.Better);
        var verdict = 2 * gains > cells.Count ? ClaimVerdict.NotSupported
            : 2 * noGains > cells.Count && 2 * shapeHelps <= controls.Count ? ClaimVerdict.Supported
            : ClaimVerdict.Mixed;

        var targets = string.Join(", ", finished.Select(t => $"`{t.SweepId}` ({t.Target})"));
        var perArm = string.Join("; ", Transferred.Select(a =>
            $"{Names.Of(a)} − fixed: {Counts(cells.Select(r => r.Comparisons.GetValueOrDefault(a)).Where(c => c?.Difference.HasInterval == true).Select(c => c!.Verdict).ToList())}"));
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{cells.Count} source configuration × target cells from {finished.Count} finished transfer sweep(s): {targets}. Paired test-accuracy differences per cell "
            + $"at a ±{Equivalence.Margin * 100:0.#} pp margin — {perArm}; control frozen − random-frozen: {Counts(controls)}. "
            + $"Cells with a gain (frozen or finetuned better than fixed): {gains}; without a gain (neither better; worse, on par, or inconclusive with a mean ≤ 0): {noGains}; "
            + $"undecided: {cells.Count - gains - noGains}. Not supported when more than half the cells show a gain; supported when more than half show none "
            + $"and frozen beats random-frozen in at most half the cells; mixed otherwise.{pending}");
        return new Claim(Letter, Statement, verdict, text, figures);
    }

    private static Cell Judge(TransferRow row)
    {
        var tested = Transferred.Select(a => row.Comparisons.GetValueOrDefault(a)).Where(c => c?.Difference.HasInterval == true).Select(c => c!).ToList();
        if (tested.Any(c => c.Verdict == ComparisonVerdict.Better))
        {
            return Cell.Gain;
        }

        return tested.All(c => c.Verdict != ComparisonVerdict.Inconclusive || c.Difference.Mean <= 0) ? Cell.NoGain : Cell.Undecided;
    }

    /// <summary>"2 better, 1 worse, 0 on par, 3 inconclusive (of 6)".</summary>
    private static string Counts(List<ComparisonVerdict> verdicts) =>
        string.Join(", ", new[] { ComparisonVerdict.Better, ComparisonVerdict.Worse, ComparisonVerdict.OnPar, ComparisonVerdict.Inconclusive }
            .Select(v => $"{verdicts.Count(x => x == v)} {Equivalence.Name(v)}")) + $" (of {verdicts.Count})";
}
