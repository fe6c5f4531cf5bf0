using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using LearnedActivation.Client.Cli;
using LearnedActivation.Model.Analysis;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Outputs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LearnedActivation.Client.Commands;

/// <summary>Options of <c>learnact analyze</c>.</summary>
public sealed class AnalyzeSettings : CommandSettings
{
    [CommandArgument(0, "<PATH>")]
    [Description("A run folder (metrics.json and activation.dat), or an activation's .dat, .pt or .safetensors file.")]
    public string Path { get; init; } = string.Empty;

    [CommandOption("--range <LO HI>")]
    [Description("Analyse over [LO, HI] (--range -3 3, or --range=-3,3); needed when no pre-activations were recorded.")]
    public string? Range { get; init; }

    [CommandOption("--base <BASE>")]
    [NamesDescription<BaseActivation>("Base activation of the network ({0}); needed for a .pt or .safetensors file without its run's metrics.json.")]
    [TypeConverter(typeof(BaseOption))]
    public BaseActivation? Base { get; init; }

    [CommandOption("--json")]
    [Description("Print the analysis as the JSON that metrics.json holds under \"analysis\".")]
    public bool Json { get; init; }

    /// <summary>The parsed <c>--range</c>, or null without one.</summary>
    public (double Min, double Max)? ParsedRange()
    {
        if (Range is null)
        {
            return null;
        }

        var parts = Range.Split(',');
        if (parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var min)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var max)
            && double.IsFinite(min) && double.IsFinite(max) && max > min)
        {
            return (min, max);
        }

        throw new UsageException($"--range: '{Range}' is not two numbers LO HI with LO < HI (e.g. --range -3 3)");
    }
}

/// <summary>
/// <c>learnact analyze</c>: the analysis every run writes into metrics.json, for any saved activation, over its
/// recorded pre-activations or over <c>--range</c>.
/// </summary>
public sealed class AnalyzeCommand(IAnsiConsole console) : Command<AnalyzeSettings>
{
    public override int Execute(CommandContext context, AnalyzeSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var range = settings.ParsedRange();
        SavedActivation saved;
        try
        {
            saved = SavedActivation.Load(settings.Path, settings.Base);
        }
        catch (InvalidDataException e)
        {
            throw new UsageException(e.Message, e);
        }

        using (saved)
        {
            var stats = range is { } r ? PreActivationStats.Uniform(r.Min, r.Max)
                : saved.Pooled ?? throw new UsageException($"'{settings.Path}' has no recorded pre-activations: give the range to analyse with --range LO HI");
            if (!ActivationAnalyser.CanAnalyse(stats))
            {
                throw new UsageException($"the pre-activations recorded for '{settings.Path}' span no interval: give the range to analyse with --range LO HI");
            }

            var analysis = ActivationAnalyser.Analyse(saved.Network, stats);
            if (settings.Json)
            {
                console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(analysis, RunMetricsDocument.JsonOptions));
            }
            else
            {
                console.Write(Table(saved, analysis));
            }
        }

        return ExitCodes.Ok;
    }

    private static Table Table(SavedActivation saved, ActivationAnalysis analysis)
    {
        var table = new Table().AddColumn("measure").AddColumn("value");
        table.Title = new TableTitle(Markup.Escape($"{saved.Weights} ({Names.Of(saved.Network.Base)})"));
        void Row(string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));
        Row("interval", $"[{N(analysis.Min)}, {N(analysis.Max)}], {analysis.Points} points");
        Row("extrema", analysis.ExtremaCount.ToString(CultureInfo.InvariantCulture));
        foreach (var e in analysis.Extrema)
        {
            Row($"  {Names.Of(e.Kind)}", $"x {N(e.X)}, z {N(e.Z)}, prominence {N(e.Prominence)}");
        }

        Row("dominant", analysis.Dominant is { } d ? $"{Names.Of(d.Kind)} at x {N(d.X)}, z {N(d.Z)}, quantile {N(d.Quantile)}" : "none");
        Row("total variation", N(analysis.TotalVariation));
        Row("asymmetry", N(analysis.Asymmetry));
        Row("tails", $"left {N(analysis.Tails.Left)}{(analysis.Tails.LeftFlat ? " (flat)" : string.Empty)}, right {N(analysis.Tails.Right)}{(analysis.Tails.RightFlat ? " (flat)" : string.Empty)}");
        var nearest = analysis.Nearest;
        Row("nearest", $"{nearest.Name}: error {N(nearest.Error)} ({nearest.Function}: a {N(nearest.A)}, c {N(nearest.C)}, alpha {N(nearest.Alpha)}, beta {N(nearest.Beta)})");
        Row("base distance", N(analysis.BaseDistance));
        foreach (var (name, error) in analysis.NearestAll)
        {
            Row($"  {name}", N(error));
        }

        return table;
    }

    private static string N(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
