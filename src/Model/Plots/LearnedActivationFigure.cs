using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Model.Plots;

/// <summary>What <see cref="ActivationPlot"/> draws for one run.</summary>
/// <param name="Title">Figure title; <see cref="TitleFor"/> gives the study's wording.</param>
/// <param name="Learned">The learned activation sampled over the x range to show.</param>
/// <param name="Base">The base activation over the same range, drawn dashed for reference; null to omit.</param>
/// <param name="PreActivations">Where the network's pre-activations fall, drawn as light bars behind; null to omit.
/// Build it with <see cref="ValueHistogram.FromSamples"/> over the same range as <paramref name="Learned"/>.</param>
/// <param name="XLabel">Horizontal axis label.</param>
/// <param name="YLabel">Vertical axis label.</param>
public sealed record LearnedActivationFigure(
    string Title,
    FunctionCurve Learned,
    FunctionCurve? Base = null,
    ValueHistogram? PreActivations = null,
    string XLabel = "pre-activation x",
    string YLabel = "activation f(x)")
{
    /// <summary>
    /// The x range a learned activation is drawn over, decided from the pre-activations the network actually
    /// produced: their 0.5-99.5 percentiles, widened by a tenth, never narrower than <see cref="XRange.Default"/>.
    /// A few extreme pre-activations would otherwise stretch the graph until its interesting part is a sliver.
    /// Training samples the learned function over this range, so the figure and the sweep's report show it.
    /// </summary>
    public static XRange XRangeFor(IReadOnlyCollection<double> preActivations) =>
        XRange.FromSamples(preActivations, lowerPercentile: 0.5, upperPercentile: 99.5, widenFraction: 0.1);

    /// <summary>"learned activation: tanh base, outer small, act medium".</summary>
    public static string TitleFor(BaseActivation baseActivation, SizePreset outer, SizePreset activation) =>
        $"learned activation: {Names.Of(baseActivation)} base, outer {Names.Of(outer)}, act {Names.Of(activation)}";
}
