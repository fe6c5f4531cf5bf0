using TorchSharp;
using TorchSharp.Modules;
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
/// </summary>
public sealed class AdamOptimizer : IDisposable
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;

    private readonly Parameter[] _parameters;
    private readonly Tensor[] _firstMoment;
    private readonly Tensor[] _secondMoment;

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
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(learningRateOf);
        _parameters = [.. parameters];
        _learningRates = [.. _parameters.Select(learningRateOf)];
        _firstMoment = [.. _parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        _secondMoment = [.. _parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
    }

    /// <summary>The parameters it updates, in order.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

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

        _beta1.Dispose();
        _oneMinusBeta1.Dispose();
        _beta2.Dispose();
        _oneMinusBeta2.Dispose();
        _epsilon.Dispose();
        _one.Dispose();
    }
}
