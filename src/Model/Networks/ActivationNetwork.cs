using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Evaluation;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Networks;

/// <summary>
/// The learned activation: a univariate MLP <c>1 -> h1 -> ... -> hk -> 1</c> with the base activation between
/// its layers and none after the last, applied elementwise to a tensor of any shape.
/// State-dict keys are <c>layers.{i}.weight</c> / <c>layers.{i}.bias</c>, as a PyTorch
/// <c>self.layers = nn.ModuleList([nn.Linear(1, h1), ..., nn.Linear(hk, 1)])</c> would have them.
/// </summary>
public sealed class ActivationNetwork : nn.Module<Tensor, Tensor>
{
    // RegisterComponents names submodules after fields; the attribute gives the PyTorch name.
    [ComponentName(Name = "layers")]
    private readonly ModuleList<Linear> _layers = new();
    private readonly Linear[] _layerArray;
    private readonly IActivationEvaluator _evaluator;

    /// <param name="hidden">Hidden widths h1..hk (may be empty: then the network is affine).</param>
    /// <param name="baseActivation">Non-linearity between the layers.</param>
    /// <param name="generator">Draws the initial weights; null keeps TorchSharp's own initialisation.</param>
    /// <param name="evaluator">How the layers are computed; null means <see cref="ExactActivationEvaluator"/>.</param>
    public ActivationNetwork(IReadOnlyList<int> hidden, BaseActivation baseActivation, Generator? generator = null, IActivationEvaluator? evaluator = null)
        : base(nameof(ActivationNetwork))
    {
        ArgumentNullException.ThrowIfNull(hidden);
        var widths = new List<int> { 1 };
        widths.AddRange(hidden);
        widths.Add(1);
        for (var i = 0; i + 1 < widths.Count; i++)
        {
            if (widths[i + 1] <= 0)
            {
                throw new ArgumentException($"hidden widths must be positive (got {string.Join(", ", hidden)})", nameof(hidden));
            }

            var layer = nn.Linear(widths[i], widths[i + 1]);
            if (generator is not null)
            {
                LinearInit.Reset(layer, generator);
            }

            _layers.Add(layer);
        }

        _layerArray = [.. _layers];
        Base = baseActivation;
        _evaluator = evaluator ?? ExactActivationEvaluator.Instance;
        RegisterComponents();
    }

    public BaseActivation Base { get; }

    /// <summary>The linear layers in order, first 1 -> h1, last hk -> 1.</summary>
    public IReadOnlyList<Linear> Layers => _layerArray;

    public IActivationEvaluator Evaluator => _evaluator;

    /// <summary>Applies the learned function to every element of <paramref name="input"/>; the result has its shape.</summary>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return _evaluator.Evaluate(this, input.reshape(-1, 1)).reshape(input.shape);
    }
}
