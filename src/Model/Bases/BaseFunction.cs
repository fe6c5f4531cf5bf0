using LearnedActivation.Model.Configuration;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Bases;

/// <summary>
/// A base activation picked at run time (from its <see cref="BaseActivation"/> name, via <see cref="BaseActivations"/>):
/// its scalar and tensor forms and flags, and <see cref="Accept{TResult}"/> to reach generic code specialised for it.
/// </summary>
public abstract class BaseFunction
{
    public abstract BaseActivation Id { get; }

    /// <inheritdoc cref="IBaseActivation.ReluShaped"/>
    public abstract bool ReluShaped { get; }

    /// <inheritdoc cref="IBaseActivation.Evaluate"/>
    public abstract double Evaluate(double x);

    /// <inheritdoc cref="IBaseActivation.Apply"/>
    public abstract Tensor Apply(Tensor input);

    /// <summary>Calls <paramref name="visitor"/> with this base as its type parameter.</summary>
    internal abstract TResult Accept<TResult>(IBaseVisitor<TResult> visitor);
}

/// <summary>Code generic over the base, reached from a base chosen at run time (<see cref="BaseFunction.Accept{TResult}"/>).</summary>
internal interface IBaseVisitor<out TResult>
{
    TResult Visit<TBase>()
        where TBase : struct, IBaseActivation;
}

/// <summary>The run-time face of the base <typeparamref name="TBase"/>.</summary>
internal sealed class BaseFunction<TBase> : BaseFunction
    where TBase : struct, IBaseActivation
{
    public override BaseActivation Id => TBase.Id;

    public override bool ReluShaped => TBase.ReluShaped;

    public override double Evaluate(double x) => TBase.Evaluate(x);

    public override Tensor Apply(Tensor input) => TBase.Apply(input);

    internal override TResult Accept<TResult>(IBaseVisitor<TResult> visitor) => visitor.Visit<TBase>();
}
