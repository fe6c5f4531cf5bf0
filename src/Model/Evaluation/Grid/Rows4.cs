using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LearnedActivation.Model.Evaluation.Grid;

/// <summary>
/// Moves between a table of 4-float rows and 8-lane columns. The interpolants look up one row per scalar;
/// eight 16-byte loads and a 4x4 transpose in each 128-bit half are several times cheaper than four AVX2
/// gathers on the CPUs here, and the transpose run the other way scatters per-lane sums back into rows.
/// </summary>
internal static class Rows4
{
    /// <summary>Columns 0..3 of the rows at <paramref name="offsets"/>[0..7] (float offsets into the table).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Load(float* table, int* offsets, out Vector256<float> c0, out Vector256<float> c1, out Vector256<float> c2, out Vector256<float> c3)
    {
        var a0 = Vector256.Create(Vector128.Load(table + offsets[0]), Vector128.Load(table + offsets[4]));
        var a1 = Vector256.Create(Vector128.Load(table + offsets[1]), Vector128.Load(table + offsets[5]));
        var a2 = Vector256.Create(Vector128.Load(table + offsets[2]), Vector128.Load(table + offsets[6]));
        var a3 = Vector256.Create(Vector128.Load(table + offsets[3]), Vector128.Load(table + offsets[7]));
        Transpose(a0, a1, a2, a3, out c0, out c1, out c2, out c3);
    }

    /// <summary>
    /// Adds (c0[i], c1[i], c2[i], c3[i]) to the row at <paramref name="offsets"/>[i] for lanes i = 0..7 in order,
    /// so that rows hit by several lanes get their sums in element order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Add(float* table, int* offsets, Vector256<float> c0, Vector256<float> c1, Vector256<float> c2, Vector256<float> c3)
    {
        Transpose(c0, c1, c2, c3, out var r04, out var r15, out var r26, out var r37);
        AddRow(table + offsets[0], r04.GetLower());
        AddRow(table + offsets[1], r15.GetLower());
        AddRow(table + offsets[2], r26.GetLower());
        AddRow(table + offsets[3], r37.GetLower());
        AddRow(table + offsets[4], r04.GetUpper());
        AddRow(table + offsets[5], r15.GetUpper());
        AddRow(table + offsets[6], r26.GetUpper());
        AddRow(table + offsets[7], r37.GetUpper());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void AddRow(float* row, Vector128<float> values) => Vector128.Store(Vector128.Load(row) + values, row);

    /// <summary>4x4 transpose within each 128-bit half: out k holds element k of a0..a3 (per half).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose(Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3, out Vector256<float> c0, out Vector256<float> c1, out Vector256<float> c2, out Vector256<float> c3)
    {
        var t0 = Avx.UnpackLow(a0, a1);
        var t1 = Avx.UnpackHigh(a0, a1);
        var t2 = Avx.UnpackLow(a2, a3);
        var t3 = Avx.UnpackHigh(a2, a3);
        c0 = Avx.Shuffle(t0, t2, 0x44);
        c1 = Avx.Shuffle(t0, t2, 0xEE);
        c2 = Avx.Shuffle(t1, t3, 0x44);
        c3 = Avx.Shuffle(t1, t3, 0xEE);
    }
}
