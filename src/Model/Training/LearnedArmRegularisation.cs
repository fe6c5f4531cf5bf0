using System.Globalization;

namespace LearnedActivation.Model.Training;

/// <summary>
/// Candidate remedies for the learned arm's overfitting (issue 11 point 2, docs/study-results.md "Attempts to close
/// the gap"), applied to the learned arm's activation network only, all off by default. The curvature penalty is a
/// spec setting; the others are experiments switched on only through the environment (<see cref="For"/>), kept so
/// that the measurements in the docs can be repeated.
/// </summary>
/// <param name="AnchorDecay">Strength of <see cref="AnchoredDecay"/> (0: off).</param>
/// <param name="ShapeKind">What <see cref="ShapePenalty"/> penalises.</param>
/// <param name="ShapeStrength">Strength of <see cref="ShapePenalty"/> (0: off).</param>
/// <param name="ShapeOverBatch">The penalty's knots span the batch's pre-activations (all layers) as well as the fixed range.</param>
/// <param name="Residual">The activation is x + g(x), g the network (<see cref="Networks.ActivationNetwork.Residual"/>).</param>
public sealed record LearnedArmRegularisation(
    double AnchorDecay = 0,
    ShapePenaltyKind ShapeKind = ShapePenaltyKind.Curvature,
    double ShapeStrength = 0,
    bool ShapeOverBatch = false,
    bool Residual = false)
{
    public const string AnchorDecayVariable = "LEARNACT_EXPERIMENT_ANCHOR_DECAY";
    public const string SlopeVariable = "LEARNACT_EXPERIMENT_SLOPE";
    public const string ResidualVariable = "LEARNACT_EXPERIMENT_RESIDUAL";
    public const string ShapeOverBatchVariable = "LEARNACT_EXPERIMENT_SHAPE_OVER_BATCH";

    public static LearnedArmRegularisation None { get; } = new();

    /// <summary>
    /// The learned arm's remedies: the curvature penalty of <paramref name="train"/> (a spec setting,
    /// <see cref="Configuration.TrainConfig.ActivationCurvature"/>), and the experiments' switches from the environment,
    /// which were measured and not adopted (unset variables leave them off).
    /// </summary>
    public static LearnedArmRegularisation For(Configuration.TrainConfig train)
    {
        ArgumentNullException.ThrowIfNull(train);
        var slope = Number(SlopeVariable);
        var curvature = train.ActivationCurvature;
        if (slope > 0 && curvature > 0)
        {
            throw new InvalidOperationException($"{SlopeVariable} and a curvature penalty are exclusive");
        }

        return new LearnedArmRegularisation(
            Number(AnchorDecayVariable),
            slope > 0 ? ShapePenaltyKind.Slope : ShapePenaltyKind.Curvature,
            slope > 0 ? slope : curvature,
            Environment.GetEnvironmentVariable(ShapeOverBatchVariable) is "1" or "true",
            Environment.GetEnvironmentVariable(ResidualVariable) is "1" or "true");
    }

    private static double Number(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } text ? double.Parse(text, CultureInfo.InvariantCulture) : 0;
}
