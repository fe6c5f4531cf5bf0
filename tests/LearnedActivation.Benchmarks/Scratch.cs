using System.Diagnostics;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Networks;
using static TorchSharp.torch;

namespace LearnedActivation.Benchmarks;

internal static class Scratch
{
    public static void Run()
    {
        using var network = new ActivationNetwork([32, 16, 8], BaseActivation.Tanh, new Generator(3, CPU));
        var input = randn([512 * 96, 1], generator: new Generator(4, CPU)) * 2;
        var up = randn([512 * 96, 1], generator: new Generator(5, CPU));
        void Time(string name, Action a)
        {
            for (var i = 0; i < 20; i++) { a(); }
            var times = new List<double>();
            for (var r = 0; r < 15; r++)
            {
                var c = Stopwatch.StartNew();
                for (var i = 0; i < 10; i++) { a(); }
                times.Add(c.Elapsed.TotalMilliseconds / 10);
            }
            Console.WriteLine($"{name}: {Medians.Of(times):F3} ms");
        }

        Time("aminmax", () => { using var s = NewDisposeScope(); using var ng = no_grad(); var (a, b) = input.aminmax(); a.item<float>(); b.item<float>(); });
        Time("knots fwd+bwd 512", () => { using var s = NewDisposeScope(); network.zero_grad(); var k = linspace(-8, 8, 512).unsqueeze(1); ExactActivationEvaluator.Instance.Evaluate(network, k).sum().backward(); });
        Time("grid fwd", () => { using var s = NewDisposeScope(); using var ng = no_grad(); GridActivationEvaluator.Instance.Evaluate(network, input); });
        Time("grid fwd+bwd", () => { using var s = NewDisposeScope(); network.zero_grad(); var x = input.detach().requires_grad_(true); GridActivationEvaluator.Instance.Evaluate(network, x).backward([up]); });
        Time("tanh fwd+bwd", () => { using var s = NewDisposeScope(); var x = input.detach().requires_grad_(true); x.tanh().backward([up]); });
        var yk = randn(512).requires_grad_(true);
        Time("interp fwd", () => { using var s = NewDisposeScope(); using var ng = no_grad(); KnotInterpolation.Interpolate(input, yk, -9, 18.0 / 511); });
        Time("interp fwd+bwd", () => { using var s = NewDisposeScope(); var x = input.detach().requires_grad_(true); KnotInterpolation.Interpolate(x, yk, -9, 18.0 / 511).backward([up]); });
        Time("empty_like", () => { using var s = NewDisposeScope(); empty_like(input); });
    }
}
