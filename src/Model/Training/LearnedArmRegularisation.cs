using System.Globalization;

namespace LearnedActivation.Model.Training;

/// <summary>
/// Candidate remedies for the learned arm's overfitting (issue 11 point 2, docs/study-results.md "Attempts to close
/// the gap"), applied to the learned arm's activation network only. EXPERIMENTAL: all off by default, switched on
/// only through the environment (<see cref="FromEnvironment"/>) while they are measured; a remedy that meets the
/// bar becomes a spec setting.
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
    public const string CurvatureVariable = "LEARNACT_EXPERIMENT_CURVATURE";
    public const string SlopeVariable = "LEARNACT_EXPERIMENT_SLOPE";
    public const string ResidualVariable = "LEARNACT_EXPERIMENT_RESIDUAL";
    public const string ShapeOverBatchVariable = "LEARNACT_EXPERIMENT_SHAPE_OVER_BATCH";

    public static LearnedArmRegularisation None { get; } = new();

    /// <summary>The experiment's switches from the environment; unset variables leave a remedy off.</summary>
    public static LearnedArmRegularisation FromEnvironment()
    {
        var slope = Number(SlopeVariable);
        var curvature = Number(CurvatureVariable);
        if (slope > 0 && curvature > 0)
        {
            throw new InvalidOperationException($"{SlopeVariable} and {CurvatureVariable} are exclusive");
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
