#pragma warning disable CA1806
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Data;
using LearnedActivation.Model.Training;

namespace LearnedActivation.Benchmarks;

internal static class Scratch
{
    public static void Run(string mode)
    {
        var data = new CsvDataSource(Path.Combine(SharedData.Directory(), "covertype/covertype_binary10_from_mlpack_subset_100k.csv.gz"), "target").Load();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var splits = BenchmarkSplit.Split(data, 1);
            var spec = new RunSpec(new ModelConfig(BaseActivation.Tanh, SizePreset.Large, SizePreset.Large), new TrainConfig(Epochs: 10, Seed: 1, TorchThreads: 1, ActivationEval: Names.ParseActivationEvaluation(mode)), data.ContentHash());
            using var session = TrainingSession.Create(spec, splits);
            while (!session.IsComplete)
            {
                var m = session.RunEpoch();
                Console.WriteLine($"attempt {attempt} epoch {m.Epoch} val {m.ValAccuracy:P2}");
            }
        }
    }
}
