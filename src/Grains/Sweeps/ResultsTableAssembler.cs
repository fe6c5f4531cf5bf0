using System.Globalization;
using System.Text;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Storage;

namespace LearnedActivation.Grains.Sweeps;

/// <summary>
/// The assembler used until a richer one is registered: writes the results table (results.csv and
/// results.md: per configuration, validation and test accuracy and AUC, epochs, training time) and
/// names the missing runs. A plotting assembler can call it for the table part.
/// </summary>
public sealed class ResultsTableAssembler(IBlobStore store) : ISweepArtifactAssembler
{
    public const string CsvName = "results.csv";
    public const string MarkdownName = "results.md";

    public async Task<IReadOnlyList<string>> AssembleAsync(SweepAssemblyInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var csvKey = input.ArtifactPrefix + CsvName;
        var mdKey = input.ArtifactPrefix + MarkdownName;
        await store.PutAsync(csvKey, Encoding.UTF8.GetBytes(Csv(input)), cancellationToken);
        await store.PutAsync(mdKey, Encoding.UTF8.GetBytes(Markdown(input)), cancellationToken);
        return [csvKey, mdKey];
    }

    public static string Csv(SweepAssemblyInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var csv = new StringBuilder("config,base,outer,activation,seed,phase,epochs,val_accuracy,val_auc,best_val_accuracy,test_accuracy,test_auc,train_seconds\n");
        foreach (var run in input.Runs)
        {
            var (d, s) = (run.Definition, run.Status);
            csv.AppendLine(string.Join(',', d.ConfigName, Lower(d.Base), Lower(d.Outer), Lower(d.Activation), N(d.Seed), Lower(s.Phase), N(s.Epoch),
                F(s.Latest?.ValAccuracy), F(s.Latest?.ValAuc), F(s.BestValAccuracy), F(s.Test?.Accuracy), F(s.Test?.Auc), F(s.TrainingSeconds)));
        }

        return csv.ToString();
    }

    public static string Markdown(SweepAssemblyInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var md = new StringBuilder($"# Sweep {input.Spec.Id}\n\n");
        md.AppendLine("| configuration | phase | epochs | val acc | val AUC | test acc | test AUC | time (s) |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var run in input.Runs)
        {
            var s = run.Status;
            md.AppendLine(CultureInfo.InvariantCulture, $"| {run.Definition.ConfigName} | {Lower(s.Phase)} | {s.Epoch}/{s.TotalEpochs} | {P(s.Latest?.ValAccuracy)} | {F(s.Latest?.ValAuc)} | {P(s.Test?.Accuracy)} | {F(s.Test?.Auc)} | {s.TrainingSeconds:F1} |");
        }

        if (input.MissingRuns.Count > 0)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"\nMissing (did not complete): {string.Join(", ", input.MissingRuns)}");
        }

        return md.ToString();
    }

    private static string Lower<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string F(double? value) => value?.ToString("F4", CultureInfo.InvariantCulture) ?? string.Empty;

    private static string P(double? value) => value is null ? "-" : (value.Value * 100).ToString("F2", CultureInfo.InvariantCulture) + " %";
}
