using System.Diagnostics;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Networks;
using static TorchSharp.torch;

namespace LearnedActivation.Benchmarks;

internal static class Scratch
{
    public static void Run()
    {
        foreach (var size in Enum.GetValues<SizePreset>())
        {
            foreach (var b in Enum.GetValues<BaseActivation>())
            {
                using var network = new ActivationNetwork(StudyPresets.ActivationHidden(size), b, new Generator(1, CPU));
                using var scope = NewDisposeScope();
                var generator = new Generator(2, CPU);
                var input = randn([512, 96], generator: generator) * 2;
                var upstream = randn([512, 96], generator: generator);
                var a = EvaluatorAgreement.Measure(network, input, upstream, ExactActivationEvaluator.Instance, FusedActivationEvaluator.Instance);
                // float64 reference: the same network in double
                using var net64 = new ActivationNetwork(StudyPresets.ActivationHidden(size), b, new Generator(1, CPU));
                TorchSharp.ModuleExtensionMethods.to(net64, ScalarType.Float64);
                var x64 = input.to(ScalarType.Float64).requires_grad_(true);
                ExactActivationEvaluator.Instance.Evaluate(net64, x64.reshape(-1, 1)).reshape(512, 96).backward([upstream.to(ScalarType.Float64)]);
                var ref64 = net64.parameters().Select(p => p.grad!).ToArray();
                network.zero_grad();
                var xe = input.detach().requires_grad_(true);
                ExactActivationEvaluator.Instance.Evaluate(network, xe.reshape(-1, 1)).reshape(512, 96).backward([upstream]);
                var e32 = network.parameters().Select(p => p.grad!.clone()).ToArray();
                network.zero_grad();
                var xf = input.detach().requires_grad_(true);
                FusedActivationEvaluator.Instance.Evaluate(network, xf.reshape(-1, 1)).reshape(512, 96).backward([upstream]);
                var f32 = network.parameters().Select(p => p.grad!.clone()).ToArray();
                var eErr = e32.Zip(ref64, EvaluatorAgreement.RelativeError).Max();
                var fErr = f32.Zip(ref64, EvaluatorAgreement.RelativeError).Max();
                Console.WriteLine($"{size} {b}: fn {a.MaxFunctionError:E1} gx {a.InputGradientError:E1} gp {a.ParameterGradientError:E1} | vs float64: exact32 {eErr:E1}, fused {fErr:E1}");
            }
        }

        using var net = new ActivationNetwork([32, 16, 8], BaseActivation.Tanh, new Generator(3, CPU));
        var inp = randn([512 * 96, 1], generator: new Generator(4, CPU)) * 2;
        var up = randn([512 * 96, 1], generator: new Generator(5, CPU));
        void Time(string name, Action a)
        {
            for (var i = 0; i < 10; i++) { a(); }
            var times = new List<double>();
            for (var r = 0; r < 9; r++)
            {
                var c = Stopwatch.StartNew();
                for (var i = 0; i < 3; i++) { a(); }
                times.Add(c.Elapsed.TotalMilliseconds / 3);
            }
            Console.WriteLine($"{name}: {Medians.Of(times):F3} ms");
        }

        foreach (var bb in Enum.GetValues<BaseActivation>())
        {
            using var nb = new ActivationNetwork([32, 16, 8], bb, new Generator(3, CPU));
            Time($"fused fwd {bb}", () => { using var s = NewDisposeScope(); using var ng = no_grad(); FusedActivationEvaluator.Instance.Evaluate(nb, inp); });
            Time($"fused fwd+bwd {bb}", () => { using var s = NewDisposeScope(); nb.zero_grad(); var x = inp.detach().requires_grad_(true); FusedActivationEvaluator.Instance.Evaluate(nb, x).backward([up]); });
        }

        Time("fused fwd", () => { using var s = NewDisposeScope(); using var ng = no_grad(); FusedActivationEvaluator.Instance.Evaluate(net, inp); });
        Time("fused fwd+bwd", () => { using var s = NewDisposeScope(); net.zero_grad(); var x = inp.detach().requires_grad_(true); FusedActivationEvaluator.Instance.Evaluate(net, x).backward([up]); });
        Time("exact fwd+bwd", () => { using var s = NewDisposeScope(); net.zero_grad(); var x = inp.detach().requires_grad_(true); ExactActivationEvaluator.Instance.Evaluate(net, x).backward([up]); });
    }
}
