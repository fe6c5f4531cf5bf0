namespace LearnedActivation.Model.Analysis;

/// <summary>
/// One candidate's best affine fit: f(x) ≈ Alpha * g(A * x + C) + Beta; Error = RMS(f - fit) / SD(f).
/// </summary>
public sealed record NearestFit(string Function, double Error, double A, double C, double Alpha, double Beta);
