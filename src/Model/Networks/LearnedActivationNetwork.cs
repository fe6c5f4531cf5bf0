using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Evaluation;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Networks;

/// <summary>
/// The outer network: <c>input -> h1 -> ... -> hk -> 1 logit</c>, with ONE <see cref="ActivationNetwork"/>
/// applied after every hidden layer (its weights are shared by all layers and all neurons).
/// State-dict keys: <c>layers.{i}.weight|bias</c>, <c>output.weight|bias</c>, <c>activation.layers.{j}.weight|bias</c>.
/// </summary>
public sealed class LearnedActivationNetwork : nn.Module<Tensor, Tensor>
{
    // RegisterComponents names submodules after fields; the attributes give the PyTorch names.
    [ComponentName(Name = "layers")]
    private readonly ModuleList<Linear> _layers = new();

    [ComponentName(Name = "output")]
    private readonly Linear _output;

    [ComponentName(Name = "activation")]
    private readonly ActivationNetwork _activation;

    public LearnedActivationNetwork(int inputWidth, ModelConfig config, Generator? generator = null, IActivationEvaluator? evaluator = null)
        : this(inputWidth, (config ?? throw new ArgumentNullException(nameof(config))).OuterHidden, config.ActivationHidden, config.Base, generator, evaluator)
    {
    }

    /// <param name="inputWidth">Number of features.</param>
    /// <param name="hidden">Hidden widths of the outer network (at least one layer).</param>
    /// <param name="activationHidden">Hidden widths of the activation network.</param>
    /// <param name="baseActivation">Non-linearity inside the activation network.</param>
    /// <param name="generator">Draws all initial weights; null keeps TorchSharp's own initialisation.</param>
    /// <param name="evaluator">How the activation network is computed; null means exact.</param>
    public LearnedActivationNetwork(
        int inputWidth,
        IReadOnlyList<int> hidden,
        IReadOnlyList<int> activationHidden,
        BaseActivation baseActivation,
        Generator? generator = null,
        IActivationEvaluator? evaluator = null)
        : base(nameof(LearnedActivationNetwork))
    {
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputWidth);
        if (hidden.Count == 0 || hidden.Any(w => w <= 0))
        {
            throw new ArgumentException($"the outer network needs at least one hidden layer of positive width (got [{string.Join(", ", hidden)}])", nameof(hidden));
        }

        var fanIn = inputWidth;
        foreach (var width in hidden)
        {
            _layers.Add(CreateLinear(fanIn, width, generator));
            fanIn = width;
        }

        _output = CreateLinear(fanIn, 1, generator);
        _activation = new ActivationNetwork(activationHidden, baseActivation, generator, evaluator);
        HiddenWidths = [.. hidden];
        InputWidth = inputWidth;

        RegisterComponents();
    }

    public int InputWidth { get; }

    public IReadOnlyList<int> HiddenWidths { get; }

    /// <summary>The one shared activation network.</summary>
    public ActivationNetwork Activation => _activation;

    /// <summary>Logits, shape [batch], for input [batch, InputWidth].</summary>
    public override Tensor forward(Tensor input) => forward(input, observe: null);

    /// <summary>
    /// Logits, shape [batch]; <paramref name="observe"/> sees, for each hidden layer index, the pre-activation
    /// (the input to the shared activation) and the post-activation, as they flow through the graph.
    /// </summary>
    public Tensor forward(Tensor input, Action<int, Tensor, Tensor>? observe)
    {
        ArgumentNullException.ThrowIfNull(input);
        var hidden = input;
        for (var i = 0; i < _layers.Count; i++)
        {
            var pre = _layers[i].forward(hidden);
            hidden = _activation.forward(pre);
            observe?.Invoke(i, pre, hidden);
        }

        return _output.forward(hidden).squeeze(-1);
    }

    private static Linear CreateLinear(int inFeatures, int outFeatures, Generator? generator)
    {
        var layer = nn.Linear(inFeatures, outFeatures);
        if (generator is not null)
        {
            LinearInit.Reset(layer, generator);
        }

        return layer;
    }
}
