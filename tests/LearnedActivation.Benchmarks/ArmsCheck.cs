using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Data;
using LearnedActivation.Model.Training;
using LearnedActivation.Tests;

namespace LearnedActivation.Benchmarks;

/// <summary>
/// Does every configuration learn from scratch (issue 11, point 2)? Trains the learned arm of every base x outer x
/// activation size and the fixed arm of every base x outer, for each seed, on real covertype rows, with the
/// default stopping rule (patience, epoch cap), and prints per configuration the learned - fixed test-accuracy
/// difference of the same seed (same split, same outer initial weights, same data order) and the epochs the
/// learned run spent at chance. Runs go in parallel, one torch thread each, as a sweep runs them.
/// </summary>
internal static class ArmsCheck
{
    private const string DefaultDataFile = "covertype/covertype_binary10_from_mlpack_subset_100k.csv.gz";

    /// <summary>A run is "below" when its test accuracy trails the fixed run of its seed by more than this (percentage points).</summary>
    private const double AllowedShortfallPp = 2.0;

    /// <summary>An epoch is "at chance" when validation accuracy is within this of the majority class's share (percentage points).</summary>
    private const double ChanceMarginPp = 1.0;

    public static void Run(TextWriter output, TextWriter progress, int seeds, string? dataPath, int? rows, IReadOnlyList<SizePreset> sizes, int parallel, TimeSpan? budget)
    {
        var path = dataPath ?? Path.Combine(SharedData.Root, DefaultDataFile);
        var data = new CsvDataSource(path, "target").Load();
        if (rows is { } limit && limit < data.Rows)
        {
            // The file is a random subset of covertype already: its first rows are a random sample too.
            data = data.SelectRows([.. Enumerable.Range(0, limit)]);
        }

        var train = new TrainConfig();
        // Seed by seed, each fixed run just before the learned runs it is compared with: a time budget that ends
        // the check early leaves whole seeds and whole pairs behind.
        var runs = (from seed in Enumerable.Range(0, seeds)
                    from b in StudyPresets.Bases
                    from outer in sizes
                    from arm in new[] { StudyArm.Fixed, StudyArm.Learned }
                    from act in arm == StudyArm.Fixed ? [ModelConfig.DefaultSize] : sizes
                    select (Config: new ModelConfig(b, outer, act, arm), Seed: (long)seed)).ToList();

        var splits = new ConcurrentDictionary<long, Lazy<DataSplits>>();
        var results = new ConcurrentDictionary<(ModelConfig, long), (RunResult Result, double Chance)>();
        var clock = Stopwatch.StartNew();
        var done = 0;
        var skipped = 0;
        var ordered = Partitioner.Create(runs, EnumerablePartitionerOptions.NoBuffering);
        Parallel.ForEach(ordered, new ParallelOptions { MaxDegreeOfParallelism = parallel }, run =>
        {
            if (budget is { } limit && clock.Elapsed > limit)
            {
                Interlocked.Increment(ref skipped);
                return;
            }

            var split = splits.GetOrAdd(run.Seed, s => new Lazy<DataSplits>(() => BenchmarkSplit.Split(data, s))).Value;
            var spec = new RunSpec(run.Config, train with { Seed = run.Seed, TorchThreads = 1 }, data.ContentHash());
            using var session = TrainingSession.Create(spec, split);
            var result = session.RunToCompletion();
            var positives = split.Validation.Labels.Sum();
            var majority = Math.Max(positives, split.Validation.Rows - positives) / split.Validation.Rows;
            results[(run.Config, run.Seed)] = (result, majority);
            var n = Interlocked.Increment(ref done);
            progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{n}/{runs.Count} {clock.Elapsed.TotalSeconds:0}s] {run.Config.Name} s{run.Seed}: {result.History.Count} epochs, best {result.BestEpoch}, test {result.TestAccuracy:P2}"));
        });

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"## Learned from scratch vs fixed: {data.Source}, {data.Rows} rows, seeds 0..{seeds - 1}"));
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Stopping: patience {train.Patience}, at most {train.Epochs} epochs; batch {train.BatchSize}, lr {train.LearningRate}, {Names.Of(train.ActivationEval)} evaluation, 1 torch thread per run, {parallel} runs at once; {clock.Elapsed.TotalMinutes:0.0} min in all."));
        if (skipped > 0)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"The time budget of {budget!.Value.TotalMinutes:0} min ran out: {results.Count} of {runs.Count} runs trained, {skipped} not started; the table shows the completed pairs only."));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Difference = learned - fixed test accuracy of the same base, outer size and seed (pp). At chance = epochs with validation accuracy within {ChanceMarginPp} pp of the majority class."));
        output.WriteLine();
        output.WriteLine("| config | fixed test acc (mean %) | learned test acc (mean %) | difference per seed (pp) | worst (pp) | most epochs at chance | epochs (min-max) | at cap |");
        output.WriteLine("|---|---:|---:|---|---:|---:|---:|---:|");
        var below = 0;
        var stuck = 0;
        var capped = 0;
        var learnedRuns = 0;
        foreach (var config in runs.Where(r => r.Config.Arm == StudyArm.Learned).Select(r => r.Config).Distinct())
        {
            var fixedConfig = config with { Arm = StudyArm.Fixed, Activation = ModelConfig.DefaultSize };
            var pairs = Enumerable.Range(0, seeds)
                .Where(s => results.ContainsKey((config, s)) && results.ContainsKey((fixedConfig, s)))
                .Select(s => (Learned: results[(config, s)], Fixed: results[(fixedConfig, s)].Result)).ToList();
            if (pairs.Count == 0)
            {
                continue;
            }

            var differences = pairs.Select(p => 100 * (p.Learned.Result.TestAccuracy - p.Fixed.TestAccuracy)).ToList();
            var chance = pairs.Select(p => p.Learned.Result.History.Count(m => 100 * (m.ValAccuracy - p.Learned.Chance) < ChanceMarginPp)).ToList();
            var epochs = pairs.Select(p => p.Learned.Result.History.Count).ToList();
            var atCap = pairs.Count(p => !p.Learned.Result.StoppedEarly);
            learnedRuns += pairs.Count;
            below += differences.Count(d => d < -AllowedShortfallPp);
            stuck += chance.Count(c => c > 2);
            capped += atCap;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {config.Name} ({pairs.Count} seeds) | {100 * pairs.Average(p => p.Fixed.TestAccuracy):0.00} | {100 * pairs.Average(p => p.Learned.Result.TestAccuracy):0.00} | {string.Join(", ", differences.Select(d => d.ToString("+0.00;-0.00", CultureInfo.InvariantCulture)))} | {differences.Min():+0.00;-0.00} | {chance.Max()} | {epochs.Min()}-{epochs.Max()} | {atCap} |"));
        }

        var fixedRuns = results.Where(r => r.Key.Item1.Arm == StudyArm.Fixed).Select(r => r.Value.Result).ToList();
        capped += fixedRuns.Count(r => !r.StoppedEarly);
        var perSeed = results.GroupBy(r => r.Key.Item2).OrderBy(g => g.Key)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"seed {g.Key}: {g.Count(r => !r.Value.Result.StoppedEarly)} of {g.Count()}"));
        output.WriteLine();
        output.WriteLine("Runs at the cap per seed (one seed's runs are the default study's 27 learned runs and their 9 fixed baselines): " + string.Join("; ", perSeed) + ".");
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Learned runs more than {AllowedShortfallPp} pp below their fixed run: {below} of {learnedRuns}. Learned runs at chance for more than 2 epochs: {stuck} of {learnedRuns}. Runs that reached the {train.Epochs}-epoch cap: {capped} of {results.Count}."));
    }
}
