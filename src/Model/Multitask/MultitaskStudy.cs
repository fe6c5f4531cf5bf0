using System.Text.Json;
using System.Text.Json.Serialization;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Data;
using LearnedActivation.Model.IO;
using LearnedActivation.Model.Outputs;
using LearnedActivation.Model.Plots;
using LearnedActivation.Model.Training;

namespace LearnedActivation.Model.Multitask;

/// <summary>A task's loaded data and the name it has in tables (the file's name without extensions).</summary>
public sealed record MultitaskTask(string Name, TabularData Data);

/// <summary>What a multitask study trains: configurations x seeds, each seed's training settings, and the checkpoint cadence in epochs.</summary>
public sealed record MultitaskPlan(IReadOnlyList<ModelConfig> Configs, IReadOnlyList<long> Seeds, Func<long, TrainConfig> Train, int CheckpointEvery = 1);

/// <summary>
/// A multitask study, run in this process: for every configuration and seed, the joint run (one shared activation,
/// one outer network per task; <see cref="MultitaskSession"/>), whose activation is saved where a learned run saves
/// its own; then, on the held-out task, <c>fixed</c>, in-domain <c>learned</c> and <c>frozen</c> (the joint run's
/// activation) with the same seed; finally <c>multitask.csv</c> and the paired differences (<see cref="MultitaskTable"/>).
/// Interrupted, it resumes: a joint run from its checkpoint (written every <see cref="MultitaskPlan.CheckpointEvery"/>
/// epochs and at a cancellation, between batches), a finished run or holdout run is not trained again.
/// Layout under the root (the sweep store's, <c>{store}/{id}/</c>): <c>runs/{run}/checkpoints/latest.ckpt</c>,
/// <c>runs/{run}/artifacts/</c> (activation.dat/.pt/.safetensors, the graph, learning_curve.png, multitask-run.json),
/// <c>holdout/{run}.json</c>, and <c>artifacts/multitask.csv</c>, <c>artifacts/multitask-differences.csv</c>.
/// </summary>
public sealed class MultitaskStudy(string root, MultitaskPlan plan, IReadOnlyList<MultitaskTask> tasks, MultitaskTask holdout, Action<string>? log = null)
{
    public const string RunSummaryFile = "multitask-run.json";

    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, WriteIndented = true };

    /// <summary>The joint run's folder of artifacts for <paramref name="config"/> and <paramref name="seed"/>.</summary>
    public string JointArtifacts(ModelConfig config, long seed) => Path.Combine(RunFolder(config, seed), "artifacts");

    /// <summary>Trains what is not yet done and writes the tables; returns the holdout rows. Blocks the calling thread.</summary>
    public IReadOnlyList<HoldoutRow> Run(CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(holdout);
        var rows = new List<HoldoutRow>();
        foreach (var seed in plan.Seeds)
        {
            var train = plan.Train(seed);
            var taskSplits = tasks.Select(t => BenchmarkSplit.Split(t.Data, seed)).ToList();
            var holdoutSplits = BenchmarkSplit.Split(holdout.Data, seed);
            var holdoutHash = holdout.Data.ContentHash();
            foreach (var config in plan.Configs)
            {
                var activation = Joint(config, train, taskSplits, cancellationToken);
                foreach (var arm in Enum.GetValues<HoldoutArm>())
                {
                    // One fixed run per base, outer size and seed serves every activation size.
                    if (arm == HoldoutArm.Fixed && rows.Any(r => r.Arm == arm && r.Seed == seed && r.Base == config.Base && r.Outer == config.Outer))
                    {
                        continue;
                    }

                    rows.Add(Holdout(arm, config, train, holdoutSplits, holdoutHash, activation, cancellationToken));
                }
            }
        }

        var artifacts = Path.Combine(root, "artifacts");
        Directory.CreateDirectory(artifacts);
        AtomicFile.WriteAllText(Path.Combine(artifacts, MultitaskTable.RunsFile), MultitaskTable.RunsCsv(rows));
        AtomicFile.WriteAllText(Path.Combine(artifacts, MultitaskTable.DifferencesFile), MultitaskTable.DifferencesCsv(holdout.Name, MultitaskTable.Differences(rows)));
        return rows;
    }

    /// <summary>Trains (or resumes, or finds finished) the joint run; returns the path of its saved activation.</summary>
    private string Joint(ModelConfig config, TrainConfig train, IReadOnlyList<DataSplits> splits, CancellationToken cancellationToken)
    {
        var spec = new MultitaskRunSpec(config, train, [.. tasks.Select(t => t.Data.ContentHash())]);
        var folder = RunFolder(config, train.Seed);
        var artifacts = JointArtifacts(config, train.Seed);
        var weights = Path.Combine(artifacts, RunOutputWriter.ActivationWeightsFile);
        if (File.Exists(Path.Combine(artifacts, RunSummaryFile)))
        {
            log?.Invoke($"{RunName(config, train.Seed)}: finished before, not trained again");
            return weights;
        }

        var checkpoint = Path.Combine(folder, "checkpoints", "latest.ckpt");
        Directory.CreateDirectory(Path.GetDirectoryName(checkpoint)!);
        using var session = File.Exists(checkpoint)
            ? MultitaskSession.Restore(spec, splits, File.OpenRead(checkpoint))
            : MultitaskSession.Create(spec, splits);
        log?.Invoke($"{RunName(config, train.Seed)}: {tasks.Count} tasks, {session.Schedule.StepsPerEpoch} steps of {tasks.Count} x {train.BatchSize} rows per epoch, from epoch {session.CompletedEpochs + 1} step {session.StepInEpoch}");
        void Save() => AtomicFile.Write(checkpoint, temporary =>
        {
            using var file = File.Create(temporary);
            session.SaveCheckpoint(file);
        });

        MultitaskResult result;
        try
        {
            result = session.RunToCompletion(
                afterEpoch: m =>
                {
                    log?.Invoke($"{RunName(config, train.Seed)} epoch {m.Epoch}: train loss {m.TrainLoss:0.0000}, mean val loss {m.ValLoss:0.0000}, mean val acc {m.ValAccuracy:P2}");
                    if (m.Epoch % plan.CheckpointEvery == 0)
                    {
                        Save();
                    }
                },
                cancellationToken: cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Save();
            throw;
        }

        session.SaveActivation(artifacts);
        LearningCurvePlot.Save(Path.Combine(artifacts, RunOutputWriter.LearningCurveFile), $"learning curve: {spec.Name} (means over tasks)", RunOutputWriter.Curves(spec.Name, result.History));
        var summary = new
        {
            run = RunName(config, train.Seed),
            tasks = tasks.Select((t, i) => new { name = t.Name, testAccuracy = result.TaskTest[i].Accuracy, testAuc = result.TaskTest[i].Auc, testLoss = result.TaskTest[i].Loss }),
            epochs = result.History.Count,
            bestEpoch = result.BestEpoch,
            stoppedEarly = result.StoppedEarly,
            trainingSeconds = result.TrainingTime.TotalSeconds,
            specHash = result.SpecHash,
        };
        AtomicFile.WriteAllText(Path.Combine(artifacts, RunSummaryFile), JsonSerializer.Serialize(summary, Json));
        return weights;
    }

    private HoldoutRow Holdout(HoldoutArm arm, ModelConfig config, TrainConfig train, DataSplits splits, string contentHash, string activationWeights, CancellationToken cancellationToken)
    {
        var model = arm.Config(config);
        var name = $"{(arm == HoldoutArm.Frozen ? $"{model.Name}_frozen" : model.Name)}_s{train.Seed}";
        var file = Path.Combine(root, "holdout", $"{name}.json");
        if (File.Exists(file))
        {
            return JsonSerializer.Deserialize<HoldoutRow>(File.ReadAllText(file), Json)!;
        }

        var spec = new RunSpec(model, train, contentHash);
        using var session = arm == HoldoutArm.Frozen
            ? TrainingSession.Create(spec, splits, network => FrozenActivation.LoadAndFreeze(network.Activation, activationWeights))
            : TrainingSession.Create(spec, splits);
        var result = session.RunToCompletion(cancellationToken: cancellationToken);
        var row = new HoldoutRow(holdout.Name, config.Base, config.Outer, config.Activation, arm, train.Seed, result.TestAccuracy, result.TestAuc, result.TestLoss, result.History.Count);
        log?.Invoke($"holdout {holdout.Name} {name} ({arm.Name()}): test accuracy {result.TestAccuracy:P2}, {result.History.Count} epochs");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        AtomicFile.WriteAllText(file, JsonSerializer.Serialize(row, Json));
        return row;
    }

    private static string RunName(ModelConfig config, long seed) => $"multitask_{(config with { Arm = StudyArm.Learned }).Name}_s{seed}";

    private string RunFolder(ModelConfig config, long seed) => Path.Combine(root, "runs", RunName(config, seed));
}
