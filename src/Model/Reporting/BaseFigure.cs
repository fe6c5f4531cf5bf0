using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Model.Reporting;

/// <summary>
/// One figure the report draws per base activation: its file name (<c>{FilePrefix}_{base}.png</c>), the text
/// report.md puts before it, its alt text, and what draws it.
/// </summary>
/// <param name="FilePrefix">File name before the base's name, e.g. "grid" for grid_tanh.png.</param>
/// <param name="AltText">The image's alt text, from the base's name.</param>
/// <param name="Caption">The sentence report.md shows above the image.</param>
/// <param name="Save">Draws the figure: (path, sweep id, the sweep's runs, base).</param>
internal sealed record BaseFigure(
    string FilePrefix,
    Func<string, string> AltText,
    string Caption,
    Action<string, string, SweepRuns, BaseActivation> Save)
{
    public string FileName(BaseActivation baseActivation) => $"{FilePrefix}_{Names.Of(baseActivation)}.png";
}
