using System.Collections.Concurrent;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Model.Checkpoints;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Plots;
using Microsoft.Extensions.Logging;

namespace LearnedActivation.Silo.Dashboard;

/// <summary>
/// Each run's learned activation as of its newest checkpoint (the key its run grain records), read from the blob
/// store and sampled once per checkpoint: a page refresh costs nothing until the run writes its next checkpoint.
/// </summary>
public sealed partial class CheckpointActivations(IBlobStore store, ILogger<CheckpointActivations> logger)
{
    // Newest checkpoints only: one entry per run is enough, older keys are replaced.
    private readonly ConcurrentDictionary<string, (string Key, ActivationView? View)> _byRun = new(StringComparer.Ordinal);

    public async Task<ActivationView?> GetAsync(string runKey, string? checkpointKey, ModelConfig model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (checkpointKey is null)
        {
            return null;
        }

        if (_byRun.TryGetValue(runKey, out var cached) && cached.Key == checkpointKey)
        {
            return cached.View;
        }

        ActivationView? view = null;
        try
        {
            // The checkpoint may have been pruned since the run grain recorded it: then the next one is on its way.
            if (await store.GetAsync(checkpointKey, cancellationToken) is { } bytes)
            {
                var (epoch, x, y) = await Task.Run(() => CheckpointActivation.Sample(bytes, model, XRange.Default), cancellationToken);
                view = new ActivationView(epoch, x, y);
            }
        }
        catch (Exception e) when (e is CheckpointException or IOException)
        {
            LogUnreadable(logger, checkpointKey, e.Message);
        }

        _byRun[runKey] = (checkpointKey, view);
        return view;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard: checkpoint {Key} could not be read ({Problem}); its run shows no activation")]
    private static partial void LogUnreadable(ILogger logger, string key, string problem);
}
