using LearnedActivation.Model.Bases;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Evaluation;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Networks;

/// <summary>
/// The outer network: <c>input -> h1 -> ... -> hk -> 1 logit</c>, with ONE <see cref="ActivationNetwork"/>
/// applied after every hidden layer (its weights are shared by all layers and all neurons), or, in the fixed arms,
/// the plain base activation and no activation network.
/// State-dict keys: <c>layers.{i}.weight|bias</c>, <c>output.weight|bias</c>, <c>activation.layers.{j}.weight|bias</c>.
/// The outer layers are drawn first from the generator, the activation network last, so runs of one seed start
/// from the same outer weights in every arm of the same widths.
/// </summary>
public sealed class LearnedActivationNetwork : nn.Module<Tensor, Tensor>
{
    // RegisterComponents names submodules after fields; the attributes give the PyTorch names.
    [ComponentName(Name = "layers")]
    private readonly ModuleList<Linear> _layers = new();

    [ComponentName(Name = "output")]
    private readonly Linear _output;

    [ComponentName(Name = "activation")]
    private readonly ActivationNetwork? _activation;

    private readonly BaseFunction _base;

    // The hidden layers after the first, for ILayerStackEvaluator.
    private readonly Linear[] _followingLayers;

    // Held in a record, not a module field: RegisterComponents would make the shared network this module's own, and a
    // multitask network (Multitask.MultitaskNetwork) holds it once, beside all the outer networks that apply it.
    private readonly SharedActivation? _shared;

    /// <summary>The network of <paramref name="config"/>'s arm: its outer widths (fixed-wide: widened), and an activation
    /// network initialised from scratch (<see cref="ActivationInit"/>) unless the arm is a fixed one.</summary>
    public LearnedActivationNetwork(int inputWidth, ModelConfig config, Generator? generator = null, IActivationEvaluator? evaluator = null)
        : this(
            inputWidth,
            (config ?? throw new ArgumentNullException(nameof(config))).OuterHiddenFor(inputWidth),
            config.HasActivationNetwork ? config.ActivationHidden : null,
            config.Base,
            generator,
            evaluator)
    {
    }

    /// <param name="inputWidth">Number of features.</param>
    /// <param name="hidden">Hidden widths of the outer network (at least one layer).</param>
    /// <param name="activationHidden">Hidden widths of the activation network; null for none: the plain base is applied instead.</param>
    /// <param name="baseActivation">Non-linearity inside the activation network.</param>
    /// <param name="generator">Draws all initial weights (the activation network's with <see cref="ActivationInit"/>);
    /// null keeps TorchSharp's own initialisation.</param>
    /// <param name="evaluator">How the activation network is computed; null means exact.</param>
    public LearnedActivationNetwork(
        int inputWidth,
        IReadOnlyList<int> hidden,
        IReadOnlyList<int>? activationHidden,
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
        _followingLayers = [.. _layers.Skip(1)];
        if (activationHidden is not null)
        {
            _activation = new ActivationNetwork(activationHidden, baseActivation, generator: null, evaluator);
            if (generator is not null)
            {
                ActivationInit.FromScratch(_activation, generator);
            }
        }

        _base = BaseActivations.Of(baseActivation);
        Base = baseActivation;
        HiddenWidths = [.. hidden];
        InputWidth = inputWidth;

        RegisterComponents();
    }

    /// <summary>
    /// An outer network that applies <paramref name="shared"/>, an activation network it does not own, after every
    /// hidden layer: one of the outer networks of a multitask run. Its parameters and state dict are the outer
    /// layers only (<see cref="HasActivationNetwork"/> is false); the owner registers and trains the shared network.
    /// </summary>
    public LearnedActivationNetwork(int inputWidth, IReadOnlyList<int> hidden, ActivationNetwork shared, Generator? generator = null)
        : this(inputWidth, hidden, activationHidden: null, (shared ?? throw new ArgumentNullException(nameof(shared))).Base, generator)
    {
        _shared = new SharedActivation(shared);
    }

    public int InputWidth { get; }

    public IReadOnlyList<int> HiddenWidths { get; }

    /// <summary>The base activation: inside the activation network, or, without one, between the outer layers.</summary>
    public BaseActivation Base { get; }

    /// <summary>False in the fixed arms: the plain base sits between the outer layers.</summary>
    public bool HasActivationNetwork => _activation is not null;

    /// <summary>The one shared activation network; throws in the fixed arms, which have none (see <see cref="HasActivationNetwork"/>).</summary>
    public ActivationNetwork Activation => _activation ?? throw new InvalidOperationException("this network has no activation network (a fixed arm: it applies the plain base)");

    /// <summary>Trainable parameters of the outer layers (output layer included) and of the activation network.</summary>
    public ParameterCounts Parameters => new(
        _layers.Sum(l => Count(l)) + Count(_output),
        _activation?.parameters().Sum(p => p.numel()) ?? 0);

    /// <summary>Logits, shape [batch], for input [batch, InputWidth].</summary>
    public override Tensor forward(Tensor input) => forward(input, observe: null);

    /// <summary>
    /// Logits, shape [batch]; <paramref name="observe"/> sees, for each hidden layer index, the pre-activation
    /// (the input to the shared activation) and the post-activation, as they flow through the graph. Without
    /// <paramref name="observe"/>, an evaluator that can take the hidden stack at once (<see cref="ILayerStackEvaluator"/>)
    /// does; with it, every layer is composed on its own.
    /// </summary>
    public Tensor forward(Tensor input, Action<int, Tensor, Tensor>? observe)
    {
        ArgumentNullException.ThrowIfNull(input);
        var hidden = input;
        var first = 0;
        var activation = _activation ?? _shared?.Network;
        if (observe is null && activation?.Evaluator is ILayerStackEvaluator stacked)
        {
            // The whole hidden stack in one go where the evaluator can (grid: one autograd node instead of one per
            // layer); the observed path stays layer by layer, since it hands out every pre-activation.
            var pre = _layers[0].forward(hidden);
            if (stacked.EvaluateStack(activation, pre, _followingLayers) is { } top)
            {
                return _output.forward(top).squeeze(-1);
            }

            hidden = activation.forward(pre);
            first = 1;
        }

        for (var i = first; i < _layers.Count; i++)
        {
            var pre = _layers[i].forward(hidden);
            hidden = activation is not null ? activation.forward(pre) : _base.Apply(pre);
            observe?.Invoke(i, pre, hidden);
        }

        return _output.forward(hidden).squeeze(-1);
    }

    private static long Count(Linear layer) => layer.parameters().Sum(p => p.numel());

    private static Linear CreateLinear(int inFeatures, int outFeatures, Generator? generator)
    {
        var layer = nn.Linear(inFeatures, outFeatures);
        if (generator is not null)
        {
            LinearInit.Reset(layer, generator);
        }

        return layer;
    }

    /// <summary>The activation network of a multitask run, applied here but owned by the multitask network.</summary>
    private sealed record SharedActivation(ActivationNetwork Network);
}
