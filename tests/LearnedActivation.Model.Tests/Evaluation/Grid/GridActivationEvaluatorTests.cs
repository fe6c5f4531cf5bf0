using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Evaluation;
using LearnedActivation.Model.Evaluation.Grid;
using LearnedActivation.Model.Networks;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Tests.Evaluation.Grid;

/// <summary>
/// The grid is an approximation for smooth bases; these are its stated error bounds (docs/benchmarks.md has the
/// measured values, several times smaller). Relu networks are piecewise linear and the grid reproduces them from
/// their bends, so relu is held to float tolerance.
/// </summary>
public sealed class GridActivationEvaluatorTests
{
    [Theory]
    [MemberData(nameof(EvaluatorCases.All), MemberType = typeof(EvaluatorCases))]
    public void FunctionAndGradientsStayWithinTheStatedBoundsOfExact(SizePreset size, BaseActivation baseActivation)
    {
        using var network = new ActivationNetwork(StudyPresets.ActivationHidden(size), baseActivation, new Generator(1, CPU));
        using var scope = NewDisposeScope();
        var (input, upstream) = EvaluatorCases.TrainingLikeBatch(seed: 2);

        var agreement = EvaluatorAgreement.Measure(network, input, upstream, ExactActivationEvaluator.Instance, GridActivationEvaluator.Instance);

        var bounds = GridErrorBounds.For(baseActivation);
        Assert.True(agreement.MaxFunctionError <= bounds.Function, $"max function error {agreement.MaxFunctionError:E2} > {bounds.Function:E0}");
        Assert.True(agreement.InputGradientError <= bounds.InputGradient, $"input gradient error {agreement.InputGradientError:E2} > {bounds.InputGradient:E0}");
        Assert.True(agreement.ParameterGradientError <= bounds.ParameterGradient, $"parameter gradient error {agreement.ParameterGradientError:E2} > {bounds.ParameterGradient:E0}");
    }

    [Fact]
    public void MoreKnotsMeanSmallerErrorOnSmoothBases()
    {
        using var network = new ActivationNetwork([32, 16, 8], BaseActivation.Tanh, new Generator(4, CPU));
        using var scope = NewDisposeScope();
        var (input, upstream) = EvaluatorCases.TrainingLikeBatch(seed: 5);

        var coarse = EvaluatorAgreement.Measure(network, input, upstream, ExactActivationEvaluator.Instance, new GridActivationEvaluator(32));
        var fine = EvaluatorAgreement.Measure(network, input, upstream, ExactActivationEvaluator.Instance, new GridActivationEvaluator(256));

        Assert.True(fine.MaxFunctionError * 50 < coarse.MaxFunctionError, $"{fine.MaxFunctionError:E2} vs {coarse.MaxFunctionError:E2}");
        Assert.True(fine.InputGradientError * 20 < coarse.InputGradientError, $"{fine.InputGradientError:E2} vs {coarse.InputGradientError:E2}");
    }

    [Fact]
    public void ColumnsNoLargerThanTheGridAreEvaluatedExactly()
    {
        using var network = new ActivationNetwork([16, 8], BaseActivation.Gelu, new Generator(1, CPU));
        using var scope = NewDisposeScope();
        var column = randn([GridActivationEvaluator.Instance.Knots, 1], generator: new Generator(3, CPU)) * 3;

        var grid = GridActivationEvaluator.Instance.Evaluate(network, column).data<float>().ToArray();
        var exact = ExactActivationEvaluator.Instance.Evaluate(network, column).data<float>().ToArray();

        Assert.Equal(exact, grid);
    }

    [Fact]
    public void RepeatedEvaluationsAreBitIdentical()
    {
        using var network = new ActivationNetwork([32, 16], BaseActivation.Tanh, new Generator(6, CPU));
        using var scope = NewDisposeScope();
        var (input, upstream) = EvaluatorCases.TrainingLikeBatch(seed: 7);

        var first = OutputAndGradients(network, input, upstream);
        var second = OutputAndGradients(network, input, upstream);

        Assert.Equal(first, second);
    }

    [Fact]
    public void AConstantColumnGivesTheExactValueEverywhere()
    {
        using var network = new ActivationNetwork([16, 8], BaseActivation.Tanh, new Generator(1, CPU));
        using var scope = NewDisposeScope();
        var column = full([4096, 1], 0.75f);

        var grid = GridActivationEvaluator.Instance.Evaluate(network, column).data<float>().ToArray();
        var exact = ExactActivationEvaluator.Instance.Evaluate(network, full([1, 1], 0.75f)).item<float>();

        Assert.All(grid, v => Assert.Equal(exact, v, tolerance: 1e-6));
    }

    [Fact]
    public void NonFiniteInputsPropagateAsWithExact()
    {
        using var network = new ActivationNetwork([16, 8], BaseActivation.Relu, new Generator(1, CPU));
        using var scope = NewDisposeScope();
        var column = randn([4096, 1], generator: new Generator(2, CPU));
        column[17, 0] = tensor(float.NaN);

        var grid = GridActivationEvaluator.Instance.Evaluate(network, column).data<float>().ToArray();

        Assert.True(float.IsNaN(grid[17]));
        Assert.Equal(4095, grid.Count(float.IsFinite));
    }

    /// <summary>
    /// The node's bookkeeping (its range scan, reading the weights in place, gradients made in their shapes, relu's
    /// pieces kept from forward for backward) must leave every bit as the parts compose them: the range from
    /// aminmax, the weights copied out, the interpolant searching its pieces again in backward.
    /// </summary>
    [Theory]
    [InlineData(BaseActivation.Relu, 64)]
    [InlineData(BaseActivation.Relu, 16)]
    [InlineData(BaseActivation.Tanh, 32)]
    public void TheNodeGivesTheBitsOfItsPartsComposedDirectly(BaseActivation baseActivation, int width)
    {
        using var network = new ActivationNetwork([width, width, width], baseActivation, new Generator(3, CPU));
        using var scope = NewDisposeScope();
        var (input, upstream) = EvaluatorCases.TrainingLikeBatch(seed: 9);
        var node = OutputAndGradients(network, input, upstream);

        var x = input.reshape(-1).data<float>().ToArray();
        var (least, greatest) = input.aminmax();
        double low = least.item<float>(), high = greatest.item<float>();
        var weights = network.Layers.Select(l => l.weight!.contiguous().data<float>().ToArray()).ToArray();
        var biases = network.Layers.Select(l => l.bias!.contiguous().data<float>().ToArray()).ToArray();
        var kernel = new Model.Evaluation.Fused.FusedActivationKernel(baseActivation, weights, biases);
        var relu = baseActivation == BaseActivation.Relu;
        var piecewise = relu ? new PiecewiseLinearInterpolant(new LinearPieces(low, high, ReluBreakpoints.Find(weights, biases, low, high, minGap: (high - low) * 1e-6))) : null;
        IInterpolant interpolant = piecewise ?? (IInterpolant)new CubicInterpolant(low, (high - low) / (GridActivationEvaluator.DefaultKnots - 1), GridActivationEvaluator.DefaultKnots);
        var values = new float[interpolant.Points.Length];
        kernel.Forward(interpolant.Points, values);
        var y = new float[x.Length];
        interpolant.Forward(values, x, y);
        var gradX = new float[x.Length];
        var gradValues = new float[values.Length];
        interpolant.Backward(values, x, upstream.reshape(-1).data<float>().ToArray(), gradX, gradValues);
        var (weightGrads, biasGrads) = kernel.Backward(interpolant.Points, gradValues, new float[values.Length]);

        var parts = new List<float>(y);
        parts.AddRange(gradX);
        for (var l = 0; l < weightGrads.Length; l++)
        {
            parts.AddRange(weightGrads[l]);
            parts.AddRange(biasGrads[l]);
        }

        Assert.Equal(System.Runtime.InteropServices.MemoryMarshal.AsBytes(parts.ToArray().AsSpan()).ToArray(), node);
    }

    [Fact]
    public void TheRangeScanAgreesWithAminmax()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(5, CPU);
        foreach (var length in new[] { 1, 7, 8, 9, 513, 30_000 })
        {
            var column = randn([length, 1], generator: generator) * 3;
            var (least, greatest) = column.aminmax();
            Assert.Equal((least.item<float>(), greatest.item<float>()), GridActivationEvaluator.MinMax(column.data<float>().ToArray()));
        }

        Assert.True(float.IsNaN(GridActivationEvaluator.MinMax([1f, float.NaN, 2f, 3f, 4f, 5f, 6f, 7f, 8f]).Min));
        Assert.True(float.IsNaN(GridActivationEvaluator.MinMax([.. Enumerable.Repeat(1f, 16), float.NaN]).Max));
        Assert.Equal((float.NegativeInfinity, float.PositiveInfinity), GridActivationEvaluator.MinMax([.. Enumerable.Repeat(1f, 9), float.PositiveInfinity, float.NegativeInfinity]));

        // An end at zero (either sign) is taken from aminmax itself.
        foreach (var zero in new[] { 0f, -0f })
        {
            var column = cat([rand([100, 1], generator: generator) + 1, full([1, 1], zero)]);
            var (least, _) = column.aminmax();
            var low = GridActivationEvaluator.MinMax(column).Low;
            Assert.Equal(0, low);
            Assert.Equal(float.IsNegative(least.item<float>()), double.IsNegative(low));
        }
    }

    private static byte[] OutputAndGradients(ActivationNetwork network, Tensor input, Tensor upstream)
    {
        network.zero_grad();
        var x = input.detach().clone().requires_grad_(true);
        var y = GridActivationEvaluator.Instance.Evaluate(network, x.reshape(-1, 1));
        y.backward([upstream.reshape(-1, 1)]);
        var all = new List<float>(y.data<float>().ToArray());
        all.AddRange(x.grad!.data<float>().ToArray());
        foreach (var parameter in network.parameters())
        {
            all.AddRange(parameter.grad!.data<float>().ToArray());
        }

        return System.Runtime.InteropServices.MemoryMarshal.AsBytes(all.ToArray().AsSpan()).ToArray();
    }
}

/// <summary>Stated bounds of the grid evaluator with its default knots, on inputs like training's.</summary>
internal sealed record GridErrorBounds(double Function, double InputGradient, double ParameterGradient)
{
    public static GridErrorBounds For(BaseActivation baseActivation) => baseActivation == BaseActivation.Relu
        ? new GridErrorBounds(Function: 1e-6, InputGradient: 1e-4, ParameterGradient: 1e-5)
        : new GridErrorBounds(Function: 2e-6, InputGradient: 1e-3, ParameterGradient: 2e-5);
}
