using System.Text;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Model.IO;
using LearnedActivation.Model.Reporting.Transfer;

namespace LearnedActivation.Grains.Sweeps;

/// <summary>
/// The transfer sweeps of a study, read from the store for the study's report: each one that left its link under
/// <see cref="StoreLayout.TransferLinkPrefix"/> when it started, with its status; a finished one's runs from its
/// transfer.csv (every figure claim (h) needs, without reading each run's summary), and its transfer.md and
/// transfer.png copied beside the report as <c>{id}_transfer.md</c> / <c>{id}_transfer.png</c>, so that the
/// report's link works once <c>learnact results</c> has copied the study out, and report.html carries the table.
/// </summary>
internal sealed class StudyTransfers(IBlobStore store)
{
    /// <param name="studyId">The study.</param>
    /// <param name="directory">Where the copies are written (the report's folder).</param>
    /// <param name="current">A transfer sweep being assembled right now: its stored state is not finished yet, but these are its final numbers.</param>
    /// <param name="now">For the statuses read.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The transfers in id order, and the files written into <paramref name="directory"/>.</returns>
    public async Task<(IReadOnlyList<StudyTransfer> Transfers, IReadOnlyList<string> Files)> ReadAsync(
        string studyId, string directory, StudyTransfer? current, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = (await store.ListAsync(StoreLayout.TransferLinkPrefix(studyId), cancellationToken))
            .Select(StoreLayout.ArtifactName)
            .Append(current?.SweepId)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        var transfers = new List<StudyTransfer>();
        var files = new List<string>();
        foreach (var id in ids)
        {
            var transfer = id == current?.SweepId ? current : await ReadOneAsync(studyId, id, now, cancellationToken);
            if (transfer is null)
            {
                continue;
            }

            if (transfer.Finished && await CopyAsync(id, directory, files, cancellationToken))
            {
                transfer = transfer with { MarkdownFile = StudyTransfer.MarkdownCopyName(id) };
            }

            transfers.Add(transfer);
        }

        return (transfers, files);
    }

    /// <summary>The target data as a report names it: the file's name (not the path it had on some machine) and the target column.</summary>
    public static string TargetName(DataSpec data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.File is { } file ? $"{Path.GetFileName(file)} [{data.Target}]" : data.ToString();
    }

    /// <summary>Null when the link names no transfer sweep of this study (its sweep was removed from the store).</summary>
    private async Task<StudyTransfer?> ReadOneAsync(string studyId, string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!RunKey.IsValidName(id) || await SweepStoreView.ReadStatusAsync(store, id, now, cancellationToken) is not { Spec: { Transfer: { } spec } sweep } status
            || spec.SourceSweepId != studyId)
        {
            return null;
        }

        var phase = status.Phase.ToString().ToLowerInvariant();
        IReadOnlyList<TransferRun> runs = [];
        if (status.Phase == SweepPhase.Finished && await store.GetAsync(StoreLayout.SweepArtifact(id, TransferReport.CsvFileName), cancellationToken) is { } csv)
        {
            runs = TransferReport.ReadCsv(Encoding.UTF8.GetString(csv));
        }

        return new StudyTransfer(id, TargetName(sweep.Data), phase, status.Totals.Completed, status.Totals.Runs, null, runs);
    }

    /// <summary>Copies the transfer's table and figure beside the report; false when its table is not in the store.</summary>
    private async Task<bool> CopyAsync(string id, string directory, List<string> files, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(StoreLayout.SweepArtifact(id, TransferReport.MarkdownFileName), cancellationToken) is not { } markdown)
        {
            return false;
        }

        if (await store.GetAsync(StoreLayout.SweepArtifact(id, TransferReport.FigureFileName), cancellationToken) is { } figure)
        {
            var figurePath = Path.GetFullPath(Path.Combine(directory, StudyTransfer.FigureCopyName(id)));
            AtomicFile.WriteAllBytes(figurePath, figure);
            files.Add(figurePath);
        }

        var path = Path.GetFullPath(Path.Combine(directory, StudyTransfer.MarkdownCopyName(id)));
        AtomicFile.WriteAllText(path, StudyTransfer.MarkdownCopy(id, Encoding.UTF8.GetString(markdown)));
        files.Add(path);
        return true;
    }
}
