#pragma warning disable CA1806
using System.Diagnostics;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Networks;
using static TorchSharp.torch;

namespace LearnedActivation.Benchmarks;

internal static class Scratch
{
    public static void Run(string mode)
    {
        using var net = new ActivationNetwork([32, 16, 8], BaseActivation.Relu, new Generator(3, CPU));
        var inp = randn([512 * 96, 1], generator: new Generator(4, CPU)) * 2;
        var up = randn([512 * 96, 1], generator: new Generator(5, CPU));
        void Time(string name, Action a)
        {
            for (var i = 0; i < 10; i++) { a(); }
            var times = new List<double>();
            for (var r = 0; r < 15; r++)
            {
                var c = Stopwatch.StartNew();
                for (var i = 0; i < 5; i++) { a(); }
                times.Add(c.Elapsed.TotalMilliseconds / 5);
            }
            Console.WriteLine($"{name}: {Medians.Of(times):F3} ms");
        }

        var weights = net.Layers.Select(l => l.weight!.data<float>().ToArray()).ToArray();
        var biases = net.Layers.Select(l => l.bias!.data<float>().ToArray()).ToArray();
        var bends = ReluBreakpoints.Find(weights, biases, -9, 9, 18e-6);
        Console.WriteLine($"bends: {bends.Length}");
        Time("breakpoints", () => ReluBreakpoints.Find(weights, biases, -9, 9, 18e-6));
        var pw = new PiecewiseLinearInterpolant(new LinearPieces(-9, 9, bends));
        var vals = new float[pw.Points.Length];
        var xs = inp.data<float>().ToArray();
        var outs = new float[xs.Length];
        var gs = up.data<float>().ToArray();
        var gv = new float[vals.Length];
        Time("pw fwd", () => pw.Forward(vals, xs, outs));
        Time("pw bwd", () => pw.Backward(vals, xs, gs, outs, gv));
        var pw0 = new PiecewiseLinearInterpolant(new LinearPieces(-9, 9, []));
        var vals0 = new float[2];
        var gv0 = new float[2];
        Time("pw0 fwd", () => pw0.Forward(vals0, xs, outs));
        Time("pw0 bwd", () => pw0.Backward(vals0, xs, gs, outs, gv0));
        var cu = new CubicInterpolant(-9, 18.0 / 511, 512);
        var cv = new float[512];
        Time("cubic fwd", () => cu.Forward(cv, xs, outs));
        Time("cubic bwd", () => cu.Backward(cv, xs, gs, outs, cv));
        Time("grid relu fwd+bwd", () => { using var s = NewDisposeScope(); net.zero_grad(); var x = inp.detach().requires_grad_(true); GridActivationEvaluator.Instance.Evaluate(net, x).backward([up]); });
        using var tnet = new ActivationNetwork([32, 16, 8], BaseActivation.Tanh, new Generator(3, CPU));
        Time("grid tanh fwd+bwd", () => { using var s = NewDisposeScope(); tnet.zero_grad(); var x = inp.detach().requires_grad_(true); GridActivationEvaluator.Instance.Evaluate(tnet, x).backward([up]); });
        Time("tanh fwd+bwd", () => { using var s = NewDisposeScope(); var x = inp.detach().requires_grad_(true); x.tanh().backward([up]); });
    }
}
