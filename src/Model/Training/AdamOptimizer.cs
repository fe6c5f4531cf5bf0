using System.Runtime.Intrinsics;
using TorchSharp;
using TorchSharp.Modules;
using static LearnedActivation.Model.Networks.TensorMemory;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Training;

/// <summary>
/// Adam with PyTorch's update rule (no weight decay, no AMSGrad), written here because TorchSharp 0.107's
/// <c>optim.Adam</c> is not safe with several runs in one process: it passes temporary <see cref="Scalar"/>s
/// (from implicit double conversions) to native calls without keeping them alive, so the finalizer thread can
/// free one mid-call ("Unknown scalar type", "Expected false to be true" in addcdiv_). Measured: 9 of 27
/// runs of a two-slot sweep failed that way. Every Scalar here is a field or a <c>using</c> local, alive
/// until the native call has returned; no overload with a defaulted Scalar argument is used, since those
/// build the default from a temporary too.
/// Where every parameter is a contiguous float32 CPU tensor (the networks here), the moments of all parameters live
/// in one flat tensor each and a step runs libtorch's operations once on the flat tensors instead of once per
/// parameter: the operations are elementwise, so every value gets the same bits, and a step of a network with 16
/// small parameter tensors costs a few native calls instead of ~180 (each ~1-2 us, more than the arithmetic). The
/// last operation, <c>p + s m / d</c>, runs in C# on the parameters' memory with the same float operations as
/// libtorch's <c>addcdiv_</c>. Tested bit for bit against the per-parameter update (<c>AdamOptimizerTests</c>).
/// Parameters without a gradient in a step (an activation network a fixed activation leaves unused) are skipped, as
/// PyTorch's Adam skips them.
/// </summary>
public sealed class AdamOptimizer : IDisposable
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;

    private readonly Parameter[] _parameters;
    private readonly Tensor[] _firstMoment;   // per parameter: views into _flatFirst where there is one
    private readonly Tensor[] _secondMoment;

    // All parameters' moments end to end (null unless every parameter is a contiguous float32 CPU tensor), and each
    // parameter's offset into them; a step's gradients are gathered into _flatGrad, its denominators made in
    // _denominator.
    private readonly Tensor? _flatFirst;
    private readonly Tensor? _flatSecond;
    private readonly Tensor? _flatGrad;
    private readonly Tensor? _denominator;
    private readonly int[] _offsets;

    /// <summary>Each parameter's learning rate (PyTorch's parameter groups, one rate per parameter here).</summary>
    private readonly double[] _learningRates;
    private readonly Scalar _beta1 = Beta1.ToScalar();
    private readonly Scalar _oneMinusBeta1 = (1 - Beta1).ToScalar();
    private readonly Scalar _beta2 = Beta2.ToScalar();
    private readonly Scalar _oneMinusBeta2 = (1 - Beta2).ToScalar();
    private readonly Scalar _epsilon = Epsilon.ToScalar();

    // Passed explicitly: TorchSharp's add_(Scalar) overload makes its default alpha from a temporary.
    private readonly Scalar _one = 1.0.ToScalar();
    private long _step;

    public AdamOptimizer(IEnumerable<Parameter> parameters, double learningRate)
        : this(parameters, _ => learningRate)
    {
    }

    /// <summary>Each parameter with its own learning rate, <paramref name="learningRateOf"/> it (asked once, here).</summary>
    public AdamOptimizer(IEnumerable<Parameter> parameters, Func<Parameter, double> learningRateOf)
        : this(parameters, learningRateOf, flat: true)
    {
    }

    /// <param name="flat">False keeps one update per parameter even where the flat one applies (tests compare the two).</param>
    internal AdamOptimizer(IEnumerable<Parameter> parameters, Func<Parameter, double> learningRateOf, bool flat)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(learningRateOf);
        _parameters = [.. parameters];
        _learningRates = [.. _parameters.Select(learningRateOf)];
        _offsets = new int[_parameters.Length + 1];
        for (var i = 0; i < _parameters.Length; i++)
        {
            _offsets[i + 1] = _offsets[i] + (int)_parameters[i].numel();
        }

        if (flat && _parameters.Length > 0 && _parameters.All(InPlainMemory))
        {
            using var scope = NewDisposeScope();
            _flatFirst = zeros(_offsets[^1], ScalarType.Float32).DetachFromDisposeScope();
            _flatSecond = zeros(_offsets[^1], ScalarType.Float32).DetachFromDisposeScope();
            _flatGrad = zeros(_offsets[^1], ScalarType.Float32).DetachFromDisposeScope();
            _denominator = zeros(_offsets[^1], ScalarType.Float32).DetachFromDisposeScope();
            _firstMoment = [.. _parameters.Select((p, i) => Slice(_flatFirst, i, p).DetachFromDisposeScope())];
            _secondMoment = [.. _parameters.Select((p, i) => Slice(_flatSecond, i, p).DetachFromDisposeScope())];
        }
        else
        {
            _firstMoment = [.. _parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
            _secondMoment = [.. _parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        }
    }

    /// <summary>The parameters it updates, in order.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>The rate <paramref name="parameter"/> is updated at, before a step's factor (warm-up, rollbacks).</summary>
    public double LearningRateOf(Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        var index = Array.FindIndex(_parameters, p => p.Handle == parameter.Handle);
        return index >= 0 ? _learningRates[index] : throw new ArgumentException("not a parameter of this optimiser", nameof(parameter));
    }

    /// <summary>Updates taken so far (PyTorch's per-parameter "step", the same for all parameters here).</summary>
    public long Steps => _step;

    public void ZeroGrad()
    {
        foreach (var parameter in _parameters)
        {
            parameter.grad?.zero_();
        }
    }

    /// <summary>One update; <paramref name="learningRateFactor"/> scales the learning rate for this step only (a warm-up).</summary>
    public void Step(double learningRateFactor = 1)
    {
        _step++;
        var biasCorrection1 = 1 - Math.Pow(Beta1, _step);
        var biasCorrection2 = 1 - Math.Pow(Beta2, _step);
        using var inverseSqrtCorrection2 = (1 / Math.Sqrt(biasCorrection2)).ToScalar();
        using var noGrad = no_grad();
        if (!TryStepFlat(biasCorrection1, inverseSqrtCorrection2, learningRateFactor))
        {
            StepEach(biasCorrection1, inverseSqrtCorrection2, learningRateFactor);
        }
    }

    /// <summary>
    /// The step on the flat moments, where they exist and every gradient is in plain memory (false, with nothing
    /// changed, otherwise). Parameters without a gradient keep their values and moments, as in <see cref="StepEach"/>:
    /// libtorch's operations then run once per stretch of consecutive parameters that have one.
    /// </summary>
    private bool TryStepFlat(double biasCorrection1, Scalar inverseSqrtCorrection2, double learningRateFactor)
    {
        if (_flatFirst is null || _flatSecond is null || _flatGrad is null || _denominator is null)
        {
            return false;
        }

        using var scope = NewDisposeScope();
        var grads = new Tensor?[_parameters.Length];
        for (var i = 0; i < grads.Length; i++)
        {
            var grad = _parameters[i].grad;
            if (grad is not null && !InPlainMemory(grad))
            {
                return false;
            }

            grads[i] = grad;
        }

        var flatGrad = Floats(_flatGrad);
        for (var i = 0; i < grads.Length; i++)
        {
            if (grads[i] is { } grad)
            {
                Floats(grad).CopyTo(flatGrad[_offsets[i]..]);
            }
        }

        for (var first = 0; first < grads.Length; first++)
        {
            if (grads[first] is null)
            {
                continue;
            }

            var end = first;
            while (end < grads.Length && grads[end] is not null)
            {
                end++;
            }

            UpdateMoments(first, end, inverseSqrtCorrection2);
            first = end;
        }

        var firstMoment = Floats(_flatFirst);
        var denominator = Floats(_denominator);
        for (var i = 0; i < _parameters.Length; i++)
        {
            if (grads[i] is null)
            {
                continue;
            }

            // addcdiv_ takes its Scalar as a float for float tensors.
            var stepSize = (float)(-(_learningRates[i] * learningRateFactor) / biasCorrection1);
            var range = _offsets[i].._offsets[i + 1];
            AddQuotients(Floats(_parameters[i]), stepSize, firstMoment[range], denominator[range]);
        }

        return true;
    }

    /// <summary>Both moments and the denominator of parameters <paramref name="first"/> to <paramref name="end"/> (exclusive), on the flat tensors.</summary>
    private void UpdateMoments(int first, int end, Scalar inverseSqrtCorrection2)
    {
        var whole = first == 0 && end == _parameters.Length;
        Tensor Part(Tensor flat) => whole ? flat : flat.narrow(0, _offsets[first], _offsets[end] - _offsets[first]);
        var (grad, firstMoment, secondMoment, denominator) = (Part(_flatGrad!), Part(_flatFirst!), Part(_flatSecond!), Part(_denominator!));
        firstMoment.mul_(_beta1).add_(grad, _oneMinusBeta1);
        secondMoment.mul_(_beta2).addcmul_(grad, grad, _oneMinusBeta2);
        denominator.copy_(secondMoment).sqrt_().mul_(inverseSqrtCorrection2).add_(_epsilon, _one);
    }

    /// <summary>
    /// values += s m / d, elementwise, as libtorch's <c>addcdiv_(m, d, s)</c> computes it for floats:
    /// <c>self + s * m / d</c>, the product first, then the quotient, then the sum, each rounded to float.
    /// </summary>
    private static void AddQuotients(Span<float> values, float s, ReadOnlySpan<float> m, ReadOnlySpan<float> d)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var scale = Vector256.Create(s);
            for (; i + Vector256<float>.Count <= values.Length; i += Vector256<float>.Count)
            {
                var sum = Vector256.Create<float>(values[i..]) + (scale * Vector256.Create(m[i..]) / Vector256.Create(d[i..]));
                sum.CopyTo(values[i..]);
            }
        }

        for (; i < values.Length; i++)
        {
            values[i] += s * m[i] / d[i];
        }
    }

    private void StepEach(double biasCorrection1, Scalar inverseSqrtCorrection2, double learningRateFactor)
    {
        for (var i = 0; i < _parameters.Length; i++)
        {
            using var scope = NewDisposeScope();
            var grad = _parameters[i].grad;
            if (grad is null)
            {
                continue;
            }

            using var negativeStepSize = (-(_learningRates[i] * learningRateFactor) / biasCorrection1).ToScalar();
            _firstMoment[i].mul_(_beta1).add_(grad, _oneMinusBeta1);
            _secondMoment[i].mul_(_beta2).addcmul_(grad, grad, _oneMinusBeta2);
            var denominator = _secondMoment[i].sqrt().mul_(inverseSqrtCorrection2).add_(_epsilon, _one);
            _parameters[i].addcdiv_(_firstMoment[i], denominator, negativeStepSize);
        }
    }

    /// <summary>A contiguous float32 tensor in CPU memory: its values can be read and written as a span of floats.</summary>
    private static bool InPlainMemory(Tensor tensor) =>
        tensor.dtype == ScalarType.Float32 && tensor.device_type == DeviceType.CPU && tensor.is_contiguous();

    /// <summary>Parameter <paramref name="index"/>'s part of a flat tensor, in the parameter's shape (a view).</summary>
    private Tensor Slice(Tensor flat, int index, Parameter parameter) =>
        flat.narrow(0, _offsets[index], _offsets[index + 1] - _offsets[index]).view(parameter.shape);

    /// <summary>Back to a fresh optimiser: both moments zero, no steps taken (the next step is bias-corrected as the first).</summary>
    public void Reset()
    {
        using var noGrad = no_grad();
        foreach (var moment in _firstMoment.Concat(_secondMoment))
        {
            moment.zero_();
        }

        _step = 0;
    }

    /// <summary>Step count and both moments of every parameter, in parameter order.</summary>
    public void Save(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(_step);
        writer.Write(_parameters.Length);
        foreach (var moment in _firstMoment.Concat(_secondMoment))
        {
            var values = moment.data<float>().ToArray();
            writer.Write(values.Length);
            foreach (var value in values)
            {
                writer.Write(value);
            }
        }
    }

    public void Load(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var step = reader.ReadInt64();
        var count = reader.ReadInt32();
        if (count != _parameters.Length || step < 0)
        {
            throw new InvalidDataException($"optimizer state holds {count} parameters at step {step}; the network has {_parameters.Length}");
        }

        foreach (var moment in _firstMoment.Concat(_secondMoment))
        {
            var length = reader.ReadInt32();
            if (length != moment.numel())
            {
                throw new InvalidDataException($"optimizer state holds a moment of {length} values for a parameter of {moment.numel()}");
            }

            var values = new float[length];
            for (var i = 0; i < length; i++)
            {
                values[i] = reader.ReadSingle();
            }

            using var loaded = tensor(values).reshape(moment.shape);
            using var noGrad = no_grad();
            moment.copy_(loaded);
        }

        _step = step;
    }

    public void Dispose()
    {
        foreach (var moment in _firstMoment.Concat(_secondMoment))
        {
            moment.Dispose();
        }

        _flatFirst?.Dispose();
        _flatSecond?.Dispose();
        _flatGrad?.Dispose();
        _denominator?.Dispose();

        _beta1.Dispose();
        _oneMinusBeta1.Dispose();
        _beta2.Dispose();
        _oneMinusBeta2.Dispose();
        _epsilon.Dispose();
        _one.Dispose();
    }
}
