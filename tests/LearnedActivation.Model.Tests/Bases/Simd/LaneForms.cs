using System.Runtime.Intrinsics;
using LearnedActivation.Model.Bases;
using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Model.Tests.Bases.Simd;

/// <summary>A base's 8-lane and 16-lane forms applied to arrays, for tests that name the base at run time.</summary>
internal static class LaneForms
{
    /// <summary>sigma(z) in place of each value and sigma'(z) into <paramref name="slopes"/>, 8 floats at a time.</summary>
    public static void Activate256(BaseActivation activation, float[] values, float[] slopes) =>
        BaseActivations.Of(activation).Accept(new Lanes256(values, slopes));

    /// <summary>sigma(z) in place of each value and, unless <paramref name="slopes"/> is empty, sigma'(z) there, 16 floats at a time.</summary>
    public static void Activate512(BaseActivation activation, float[] values, float[] slopes) =>
        BaseActivations.Of(activation).Accept(new Lanes512(values, slopes));

    private sealed class Lanes256(float[] values, float[] slopes) : IBaseVisitor<bool>
    {
        public bool Visit<TBase>()
            where TBase : struct, IBaseActivation
        {
            for (var k = 0; k < values.Length; k += 8)
            {
                TBase.Value(Vector256.Create(values.AsSpan(k, 8)), out var slope).CopyTo(values, k);
                slope.CopyTo(slopes, k);
            }

            return true;
        }
    }

    private sealed class Lanes512(float[] values, float[] slopes) : IBaseVisitor<bool>
    {
        public bool Visit<TBase>()
            where TBase : struct, IBaseActivation
        {
            for (var k = 0; k < values.Length; k += 16)
            {
                var z = Vector512.Create(values.AsSpan(k, 16));
                if (slopes.Length == 0)
                {
                    TBase.Value(z).CopyTo(values, k);
                }
                else
                {
                    TBase.Value(z, out var slope).CopyTo(values, k);
                    slope.CopyTo(slopes, k);
                }
            }

            return true;
        }
    }
}
