using LearnedActivation.Model.Evaluation;
using LearnedActivation.Model.Networks;
using static TorchSharp.torch;

namespace LearnedActivation.Tests;

/// <summary>How far one evaluator's function and gradients are from another's on the same input.</summary>
/// <param name="MaxFunctionError">Largest |f_candidate(x) - f_reference(x)| over the input.</param>
/// <param name="InputGradientError">||dL/dx candidate - reference|| / ||reference|| (L2 over the input).</param>
/// <param name="ParameterGradientError">The same relative L2 error, worst over the network's parameter tensors.</param>
/// <param name="MaxOutputScale">Largest |f_reference(x)|, to put the function error in proportion.</param>
public sealed record EvaluatorAgreement(double MaxFunctionError, double InputGradientError, double ParameterGradientError, double MaxOutputScale)
{
    /// <summary>
    /// Evaluates <paramref name="network"/> on <paramref name="input"/> with both evaluators, back-propagates the
    /// same upstream gradient <paramref name="upstream"/> (dL/d output, the input's shape) through each, and
    /// compares. The network's own evaluator is not used; its gradients are left cleared.
    /// </summary>
    public static EvaluatorAgreement Measure(ActivationNetwork network, Tensor input, Tensor upstream, IActivationEvaluator reference, IActivationEvaluator candidate)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(upstream);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(candidate);

        using var scope = NewDisposeScope();
        var (referenceOutput, referenceInputGrad, referenceParamGrads) = Run(network, input, upstream, reference);
        var (candidateOutput, candidateInputGrad, candidateParamGrads) = Run(network, input, upstream, candidate);

        var functionError = (candidateOutput - referenceOutput).abs().max().item<float>();
        var scale = referenceOutput.abs().max().item<float>();
        var inputError = RelativeError(candidateInputGrad, referenceInputGrad);
        var parameterError = referenceParamGrads.Zip(candidateParamGrads, RelativeError).Max();
        return new EvaluatorAgreement(functionError, inputError, parameterError, scale);
    }

    /// <summary>||candidate - reference|| / ||reference||, computed in double; 0 when both are zero.</summary>
    public static double RelativeError(Tensor candidate, Tensor reference)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(reference);
        using var scope = NewDisposeScope();
        var c = candidate.to(ScalarType.Float64);
        var r = reference.to(ScalarType.Float64);
        var difference = (c - r).norm().item<double>();
        var size = r.norm().item<double>();
        return size == 0 ? difference : difference / size;
    }

    private static (Tensor Output, Tensor InputGrad, Tensor[] ParamGrads) Run(ActivationNetwork network, Tensor input, Tensor upstream, IActivationEvaluator evaluator)
    {
        network.zero_grad();
        var x = input.detach().clone().requires_grad_(true);
        var output = evaluator.Evaluate(network, x.reshape(-1, 1)).reshape(input.shape);
        output.backward([upstream]);
        var parameters = network.parameters().Select(p => p.grad!.clone()).ToArray();
        var result = (output.detach().clone(), x.grad!.clone(), parameters);
        network.zero_grad();
        return result;
    }
}
