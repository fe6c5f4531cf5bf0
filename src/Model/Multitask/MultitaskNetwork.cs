using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Evaluation;
using LearnedActivation.Model.Networks;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Multitask;

/// <summary>
/// ONE activation network shared by one outer network per task: task t's logits are
/// <c>tasks.{t}(x)</c>, an ordinary outer network (<see cref="LearnedActivationNetwork"/>) that applies the shared
/// activation after every hidden layer. State-dict keys: <c>activation.layers.{j}.weight|bias</c> (exactly the keys
/// of a single-task run's activation) and <c>tasks.{t}.layers.{i}.weight|bias</c>, <c>tasks.{t}.output.weight|bias</c>.
/// The outer networks are drawn first from the generator, in task order, the activation network last (as in a
/// single-task run), so its initial weights do not depend on which data the tasks are.
/// </summary>
public sealed class MultitaskNetwork : nn.Module
{
    [ComponentName(Name = "activation")]
    private readonly ActivationNetwork _activation;

    [ComponentName(Name = "tasks")]
    private readonly ModuleList<LearnedActivationNetwork> _tasks = new();

    /// <param name="inputWidths">Features of each task, in task order.</param>
    /// <param name="config">Base, outer size and activation size (the arm is not used: the activation network is always learned).</param>
    /// <param name="generator">Draws every initial weight.</param>
    /// <param name="evaluator">How the activation network is computed; null means exact.</param>
    public MultitaskNetwork(IReadOnlyList<int> inputWidths, ModelConfig config, Generator generator, IActivationEvaluator? evaluator = null)
        : base(nameof(MultitaskNetwork))
    {
        ArgumentNullException.ThrowIfNull(inputWidths);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(generator);
        if (inputWidths.Count == 0)
        {
            throw new ArgumentException("a multitask network needs at least one task", nameof(inputWidths));
        }

        var activationHidden = StudyPresets.ActivationHidden(config.Activation);
        _activation = new ActivationNetwork(activationHidden, config.Base, generator: null, evaluator);
        foreach (var width in inputWidths)
        {
            _tasks.Add(new LearnedActivationNetwork(width, config.OuterHidden, _activation, generator));
        }

        ActivationInit.FromScratch(_activation, generator);
        RegisterComponents();
    }

    /// <summary>The shared activation network.</summary>
    public ActivationNetwork Activation => _activation;

    /// <summary>Task <c>t</c>'s outer network; its forward applies the shared activation.</summary>
    public LearnedActivationNetwork Task(int t) => _tasks[t];

    public int TaskCount => _tasks.Count;
}
