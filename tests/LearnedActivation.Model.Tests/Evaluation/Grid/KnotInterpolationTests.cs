using LearnedActivation.Model.Networks;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Tests.Evaluation.Grid;

public sealed class KnotInterpolationTests
{
    [Fact]
    public void ReproducesQuadraticsBetweenInteriorKnotsAndLinesEverywhere()
    {
        using var scope = NewDisposeScope();
        const double low = -3, step = 0.25;
        var knots = arange(0, 25, dtype: ScalarType.Float64) * step + low;
        var inner = rand([1000], generator: new Generator(1, CPU), dtype: ScalarType.Float64) * (20 * step) + low + (2 * step);
        var everywhere = rand([1000], generator: new Generator(2, CPU), dtype: ScalarType.Float64) * (24 * step) + low;

        var quadratic = KnotInterpolation.Interpolate(inner.to(ScalarType.Float32), Quadratic(knots).to(ScalarType.Float32), low, step);
        var line = KnotInterpolation.Interpolate(everywhere.to(ScalarType.Float32), Line(knots).to(ScalarType.Float32), low, step);

        AssertClose(Quadratic(inner), quadratic, 2e-5);
        AssertClose(Line(everywhere), line, 2e-5);
    }

    [Fact]
    public void GradientsEqualThoseOfTheSameCubicBuiltFromTorchOperations()
    {
        using var scope = NewDisposeScope();
        const double low = -2, step = 0.1;
        const int k = 41;
        var generator = new Generator(3, CPU);
        var y = randn([k], generator: generator).requires_grad_(true);
        var x = (rand([3000], generator: generator) * 4.4f - 2.2f).requires_grad_(true); // a little beyond both ends
        var upstream = randn([3000], generator: generator);

        KnotInterpolation.Interpolate(x, y, low, step).backward([upstream]);
        var kernelGradX = x.grad!.clone();
        var kernelGradY = y.grad!.clone();

        var x64 = x.detach().to(ScalarType.Float64).requires_grad_(true);
        var y64 = y.detach().to(ScalarType.Float64).requires_grad_(true);
        var reference = ReferenceCubic(x64, y64, low, step);
        reference.backward([upstream.to(ScalarType.Float64)]);

        Assert.True(EvaluatorAgreement.RelativeError(kernelGradX, x64.grad!) < 1e-5);
        Assert.True(EvaluatorAgreement.RelativeError(kernelGradY, y64.grad!) < 1e-5);
        Assert.True(EvaluatorAgreement.RelativeError(KnotInterpolation.Interpolate(x.detach(), y.detach(), low, step), reference.detach()) < 1e-5);
    }

    [Fact]
    public void VectorisedAndScalarPathsGiveTheSameBits()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(4, CPU);
        var y = randn([64], generator: generator).requires_grad_(true);
        var x = (rand([21], generator: generator) * 6 - 3).requires_grad_(true); // 2 vectors of 8, then a scalar tail of 5
        var upstream = randn([21], generator: generator);

        var batched = KnotInterpolation.Interpolate(x, y, -3, 6.0 / 63);
        batched.backward([upstream]);
        var batchedGradX = x.grad!.data<float>().ToArray();

        for (var i = 0; i < 21; i++)
        {
            var xi = x.detach()[i].reshape(1).requires_grad_(true);
            var alone = KnotInterpolation.Interpolate(xi, y.detach(), -3, 6.0 / 63);
            alone.backward([upstream[i].reshape(1)]);
            Assert.Equal(batched[i].item<float>(), alone.item<float>());
            Assert.Equal(batchedGradX[i], xi.grad!.item<float>());
        }
    }

    [Fact]
    public void RejectsKnotsItCannotInterpolate()
    {
        using var scope = NewDisposeScope();

        Assert.Throws<ArgumentException>(() => KnotInterpolation.Interpolate(zeros(4), zeros(1), 0, 1));
        Assert.Throws<ArgumentException>(() => KnotInterpolation.Interpolate(zeros(4), zeros(8), 0, 0));
        Assert.Throws<ArgumentException>(() => KnotInterpolation.Interpolate(zeros(4, dtype: ScalarType.Float64), zeros(8), 0, 1));
    }

    private static Tensor Quadratic(Tensor x) => (0.7 * x * x) - (1.3 * x) + 0.2;

    private static Tensor Line(Tensor x) => (-0.4 * x) + 1.5;

    private static void AssertClose(Tensor expected, Tensor actual, double tolerance)
    {
        var e = expected.to(ScalarType.Float64).data<double>().ToArray();
        var a = actual.to(ScalarType.Float64).data<double>().ToArray();
        Assert.Equal(e.Length, a.Length);
        for (var i = 0; i < e.Length; i++)
        {
            Assert.Equal(e[i], a[i], tolerance);
        }
    }

    /// <summary>Catmull-Rom with linearly extrapolated end neighbours, in float64 torch operations.</summary>
    private static Tensor ReferenceCubic(Tensor x, Tensor y, double low, double step)
    {
        var k = y.shape[0];
        var padded = cat([(2 * y[0] - y[1]).reshape(1), y, (2 * y[k - 1] - y[k - 2]).reshape(1)]);
        var position = (x - low) / step;
        var segment = position.detach().clamp(0, k - 2).floor().to(ScalarType.Int64);
        var t = position - segment;
        var p0 = padded.gather(0, segment);
        var p1 = padded.gather(0, segment + 1);
        var p2 = padded.gather(0, segment + 2);
        var p3 = padded.gather(0, segment + 3);
        var c1 = 0.5 * (p2 - p0);
        var c2 = 0.5 * ((2 * p0) - (5 * p1) + (4 * p2) - p3);
        var c3 = 0.5 * (-p0 + (3 * p1) - (3 * p2) + p3);
        return p1 + (t * (c1 + (t * (c2 + (t * c3)))));
    }
}
