using System.Text;
using LearnedActivation.Client.Cli;
using LearnedActivation.Client.Embedded;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Sweeps;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.IO;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LearnedActivation.Client.Commands;

/// <summary>
/// <c>learnact transfer SWEEP --data FILE --target COLUMN</c>: takes every learned activation of a finished sweep
/// (its completed learned and warm runs) and trains fresh outer networks of each source run's outer size on the
/// target data, in the arms fixed, learned, frozen, finetuned and random-frozen (docs/transfer-results.md). It is a
/// sweep of its own: the same embedded silo or cluster, status, cancel, resume and results as <c>learnact sweep</c>.
/// The source runs are resolved here, once, and written into the spec, so that a resumed transfer trains exactly
/// the runs it started with.
/// </summary>
public sealed class TransferCommand(IAnsiConsole console) : AsyncCommand<TransferSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, TransferSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var source = await SourceStatusAsync(settings, cancellationToken);
        if (source.Phase != SweepPhase.Finished)
        {
            throw new UsageException($"sweep '{settings.Source}' is {Names.Of(source.Phase)}, not finished: transfer takes the learned activations of a finished sweep");
        }

        var sourceSpec = source.Spec ?? throw new UsageException($"sweep '{settings.Source}' has no spec in {settings.StoreDescription}");
        var completed = source.Runs.Where(r => r.Phase == RunPhase.Completed).Select(r => r.ConfigName).ToHashSet(StringComparer.Ordinal);
        var sources = SelectSources(sourceSpec, completed, settings.RunNames);

        var budget = sourceSpec.Budget;
        budget = budget with
        {
            Epochs = settings.Epochs ?? budget.Epochs,
            Patience = settings.Patience ?? budget.Patience,
            ActivationEval = settings.ActivationEval ?? budget.ActivationEval,
        };

        // On a cluster the silos read the file under their data root: the name travels as written.
        var data = settings.IsCluster ? new DataSpec(settings.Data, settings.Target) : SweepSpecBuilder.LocalData(settings.Data, settings.Target);
        var spec = SweepSpec.ForTransfer(
            settings.Id ?? DefaultId(settings.Source, settings.Data!),
            new TransferSpec(sourceSpec.Id, sources),
            [.. Enumerable.Range(0, settings.Seeds).Select(s => (long)s)],
            budget,
            data);
        if (SweepSpecValidator.FirstError(spec) is { } error)
        {
            throw new UsageException(error);
        }

        console.MarkupLineInterpolated($"Transfer of {sources.Count} learned activations of sweep [bold]{sourceSpec.Id}[/] to {spec.Data}, {settings.Seeds} seeds");
        return await new SweepCommand(console).RunAsync(spec, settings, cancellationToken);
    }

    /// <summary>
    /// The source runs to transfer: every completed learned or warm run of the source sweep, or, with
    /// <c>--runs</c>, exactly the named ones, each of which must be such a run (a study of hundreds of runs is
    /// transferred a few configurations at a time).
    /// </summary>
    internal static List<ActivationSource> SelectSources(SweepSpec sourceSpec, IReadOnlySet<string> completed, IReadOnlyList<string>? names)
    {
        var eligible = sourceSpec.Runs()
            .Where(r => r.Arm is StudyArm.Learned or StudyArm.Warm && completed.Contains(r.ConfigName))
            .Select(r => new ActivationSource(sourceSpec.Id, r.ConfigName, r.Base, r.Outer, r.Activation, r.Arm))
            .ToList();
        if (names is null)
        {
            return eligible.Count > 0
                ? eligible
                : throw new UsageException($"sweep '{sourceSpec.Id}' has no completed learned or warm run: no learned activation to transfer");
        }

        var byName = eligible.ToDictionary(s => s.RunName, StringComparer.Ordinal);
        var chosen = new List<ActivationSource>();
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            chosen.Add(byName.TryGetValue(name, out var run)
                ? run
                : throw new UsageException($"--runs: {Excerpt.Quote(name, 80)} is not a completed learned or warm run of sweep '{sourceSpec.Id}'"));
        }

        return chosen;
    }

    /// <summary>"{source}-to-{file name without extensions}", cut to the length of a sweep id; characters an id may not hold become '-'.</summary>
    internal static string DefaultId(string source, string dataFile)
    {
        var stem = Path.GetFileName(dataFile);
        foreach (var extension in new[] { ".gz", ".csv", ".arff" })
        {
            stem = stem.EndsWith(extension, StringComparison.OrdinalIgnoreCase) ? stem[..^extension.Length] : stem;
        }

        var id = new StringBuilder($"{source}-to-");
        id.Append([.. stem.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' ? c : '-')]);
        return id.Length <= 64 ? id.ToString() : id.ToString(0, 64);
    }

    private static async Task<SweepStatus> SourceStatusAsync(TransferSettings settings, CancellationToken cancellationToken)
    {
        if (settings.IsCluster)
        {
            await using var connection = await SweepConnection.OpenAsync(settings, settings.Source, cancellationToken);
            return await connection.StatusAsync(settings.Source);
        }

        // Read-only: the store's state as a status-only silo would answer, whether or not a process trains there.
        var store = settings.OpenStore("reading the source sweep");
        return await SweepStoreView.ReadStatusAsync(store, settings.Source, DateTimeOffset.UtcNow, cancellationToken) is { Phase: not SweepPhase.Unknown } status
            ? status
            : throw new UsageException($"no sweep '{settings.Source}' in {settings.StoreDescription}");
    }
}
