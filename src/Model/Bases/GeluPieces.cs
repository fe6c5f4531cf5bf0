using LearnedActivation.Model.Bases.Simd;
namespace LearnedActivation.Model.Bases;

/// <summary>
/// The table behind <see cref="VectorMath512.Gelu(System.Runtime.Intrinsics.Vector512{float})"/>. GELU is written as
/// relu(z) + G(|z|) with G(u) = -u Phi(-u): an even bump, smooth on u &gt;= 0 (relu's kink at 0 is all of GELU's
/// non-smoothness there), and below 6e-9 in size from u = <see cref="Range"/> on. G on [0, Range] is cut into
/// <see cref="Pieces"/> equal pieces, each a polynomial of degree <see cref="Degree"/> in t in [-1/2, 1/2] (the
/// position within the piece): the interpolant at the Chebyshev nodes, computed in double from
/// BaseActivationMath.Erf and rounded to float (GeluPiecesTests rebuilds it and checks every coefficient).
/// 32 pieces fit the 32 floats that one two-register permute selects from, and degree 5 keeps the slope,
/// taken from the same polynomial, within ~1.4e-7 (the value within ~1 ulp).
/// Compile-time data rather than a static array: a static field read in the kernel's loops would leave a
/// class-initialisation check in the JIT's code, around which the vectors are spilled.
/// </summary>
internal static class GeluPieces
{
    public const int Pieces = 32;
    public const int Degree = 5;
    public const float Range = 6f;

    /// <summary>Pieces per unit of u: t = u * Scale - (piece + 1/2).</summary>
    public const float Scale = Pieces / Range;

    /// <summary>Coefficient k of each piece at [k * Pieces + piece]: two 16-float vectors per coefficient.</summary>
    public static ReadOnlySpan<float> Coefficients =>
    [
        // t^0
        -0.0433738f, -0.10947918f, -0.14982383f, -0.16788952f,
        -0.1682476f, -0.15593717f, -0.13585351f, -0.112253845f,
        -0.08844679f, -0.06668254f, -0.04821647f, -0.03349104f,
        -0.022372225f, -0.014384693f, -0.008907866f, -0.0053153737f,
        -0.0030573057f, -0.0016955553f, -0.00090688036f, -0.00046787545f,
        -0.0002328707f, -0.00011182893f, -5.1819035E-05f, -2.3171508E-05f,
        -9.999473E-06f, -4.1646767E-06f, -1.6741195E-06f, -6.4954503E-07f,
        -2.4325612E-07f, -8.793504E-08f, -3.0684156E-08f, -1.0335446E-08f,
        // t^1
        -0.07976569f, -0.05276398f, -0.02851435f, -0.0083895875f,
        0.0068231123f, 0.016973462f, 0.022479102f, 0.024167044f,
        0.023073232f, 0.020249223f, 0.01661325f, 0.012863959f,
        0.0094562005f, 0.006624618f, 0.004434774f, 0.0028424144f,
        0.0017467556f, 0.0010303422f, 0.00058385695f, 0.0003180547f,
        0.00016665003f, 8.4025705E-05f, 4.078341E-05f, 1.9061401E-05f,
        8.581053E-06f, 3.7216773E-06f, 1.5553686E-06f, 6.2646586E-07f,
        2.432174E-07f, 9.1029264E-08f, 3.2847765E-08f, 1.14291225E-08f,
        // t^2
        0.013902435f, 0.012948216f, 0.011185518f, 0.008873216f,
        0.0063275807f, 0.0038589695f, 0.0017173387f, 5.8608544E-05f,
        -0.001063513f, -0.0016832515f, -0.001894316f, -0.0018172953f,
        -0.0015713647f, -0.0012552709f, -0.0009387191f, -0.00066237675f,
        -0.0004432761f, -0.00028234272f, -0.00017159915f, -9.970392E-05f,
        -5.5462388E-05f, -2.9571234E-05f, -1.5125914E-05f, -7.4281093E-06f,
        -3.5043433E-06f, -1.5890234E-06f, -6.9284886E-07f, -2.9059828E-07f,
        -1.17282525E-07f, -4.5559663E-08f, -1.7038854E-08f, -6.1363E-09f,
        // t^3
        -0.00016327863f, -0.00046458308f, -0.00069584657f, -0.0008277541f,
        -0.00085178314f, -0.00077988196f, -0.0006391673f, -0.00046375487f,
        -0.00028639295f, -0.00013215895f, -1.5410254E-05f, 6.0030845E-05f,
        9.839109E-05f, 0.000108468405f, 0.00010033935f, 8.298613E-05f,
        6.307034E-05f, 4.4692577E-05f, 2.9785668E-05f, 1.8775583E-05f,
        1.123798E-05f, 6.404984E-06f, 3.483395E-06f, 1.810726E-06f,
        9.008036E-07f, 4.293271E-07f, 1.9620009E-07f, 8.603448E-08f,
        3.622174E-08f, 1.4649123E-08f, 5.6936518E-09f, 2.1275184E-09f,
        // t^4
        -8.040475E-05f, -6.8059584E-05f, -4.6144894E-05f, -1.9402241E-05f,
        6.7921096E-06f, 2.7823913E-05f, 4.0862928E-05f, 4.5247492E-05f,
        4.221934E-05f, 3.4211043E-05f, 2.3991173E-05f, 1.3946911E-05f,
        5.6687436E-06f, -1.3737052E-07f, -3.491824E-06f, -4.864811E-06f,
        -4.898431E-06f, -4.2007123E-06f, -3.2351122E-06f, -2.292366E-06f,
        -1.51452E-06f, -9.4059595E-07f, -5.521009E-07f, -3.0744908E-07f,
        -1.6288482E-07f, -8.227405E-08f, -3.968629E-08f, -1.8305819E-08f,
        -8.083103E-09f, -3.4197403E-09f, -1.3873038E-09f, -5.399736E-10f,
        // t^5
        1.284776E-06f, 3.5618918E-06f, 5.048041E-06f, 5.4726183E-06f,
        4.8543734E-06f, 3.466768E-06f, 1.7287169E-06f, 6.725452E-08f,
        -1.197918E-06f, -1.914603E-06f, -2.0957918E-06f, -1.8709213E-06f,
        -1.4184149E-06f, -9.056604E-07f, -4.520825E-07f, -1.1829366E-07f,
        8.508714E-08f, 1.7913625E-07f, 1.9792336E-07f, 1.7480569E-07f,
        1.3524416E-07f, 9.503086E-08f, 6.176215E-08f, 3.7525098E-08f,
        2.1460261E-08f, 1.1606567E-08f, 5.956646E-09f, 2.9082683E-09f,
        1.3534811E-09f, 6.013871E-10f, 2.5543795E-10f, 1.038104E-10f,
    ];
}
