using System.Collections.Concurrent;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Execution;

namespace LearnedActivation.Grains.Tests.Support;

/// <summary>An <see cref="IRunProgressSink"/> that records what an execution reports and answers with <see cref="Verdict"/>.</summary>
public sealed class RecordingSink : IRunProgressSink
{
    /// <summary>What the next reports are answered with (the run grain's say: go on, cancel, or you are stale).</summary>
    public ReportVerdict Verdict { get; set; } = ReportVerdict.Accepted;

    private readonly TaskCompletionSource<RunEnd> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Guid ExecutionId { get; } = Guid.NewGuid();

    /// <summary>The checkpoint the record names to resume from (null: from the start).</summary>
    public string? ResumeFrom { get; set; }

    public ConcurrentQueue<string> Events { get; } = new();

    public ConcurrentQueue<(int Epoch, string? CheckpointKey)> Epochs { get; } = new();

    public Task<RunEnd> Ended => _ended.Task;

    public Task<ReportVerdict> StartedAsync(int resumedFromEpoch, string? checkpointKey)
    {
        Events.Enqueue($"started {resumedFromEpoch}");
        return Task.FromResult(Verdict);
    }

    public Task<ReportVerdict> EpochAsync(EpochReport epoch, string? checkpointKey)
    {
        Events.Enqueue($"epoch {epoch.Epoch}");
        Epochs.Enqueue((epoch.Epoch, checkpointKey));
        return Task.FromResult(Verdict);
    }

    /// <summary>When set, what the record's answers (<see cref="CheckAsync"/>, <see cref="ConfirmAsync"/>) fail with instead.</summary>
    public Func<Exception>? AnswerFailure { get; set; }

    public Task<ReportVerdict> CheckAsync() => AnswerFailure is { } failure ? Task.FromException<ReportVerdict>(failure()) : Task.FromResult(Verdict);

    public Task<ReportVerdict> ConfirmAsync() => AnswerFailure is { } failure ? Task.FromException<ReportVerdict>(failure()) : Task.FromResult(Verdict);

    public Task EndedAsync(RunEnd ending)
    {
        Events.Enqueue($"ended {ending.Phase}");
        _ended.TrySetResult(ending);
        return Task.CompletedTask;
    }
}
