namespace LearnedActivation.Model.Evaluation.Fused;

/// <summary>
/// One code path of the fused kernel for one network and base, single-threaded on a range of scalars:
/// <see cref="FusedGroupKernel256{TBase}"/> (AVX2, groups of 8) or <see cref="FusedBlockKernel512{TBase}"/> (AVX-512,
/// blocks of 128). <see cref="FusedActivationKernel"/> picks one and splits calls among threads;
/// <see cref="ReluSegmentedKernel"/> runs its collapsed networks through one directly.
/// </summary>
internal unsafe interface IFusedKernelPath
{
    /// <summary>Scalars per group or block: chunks handed to different threads start on multiples of it.</summary>
    int Granularity { get; }

    bool UsesVector512 { get; }

    /// <summary>The first hidden layer that forward keeps for backward on a call of <paramref name="count"/> scalars.</summary>
    int FirstSavedLayer(int count);

    /// <summary>Floats of forward state per scalar when hidden layers from <paramref name="firstSaved"/> on are kept.</summary>
    int SavedFloatsPerScalar(int firstSaved);

    /// <summary>Floats of forward state kept for backward on a call of <paramref name="count"/> scalars (0: none).</summary>
    int SavedFloats(int count);

    /// <summary>y = f(x) on <paramref name="count"/> scalars; with <paramref name="saved"/> not null, keeps state there.</summary>
    void ForwardRange(float* xs, float* ys, int count, float* saved, int firstSaved);

    /// <summary>Writes dL/dx and returns the double sums of dL/dW, dL/db (reading the saved state where not null).</summary>
    (double[][] Weights, double[][] Biases) BackwardRange(float* xs, float* gs, float* dxs, int count, float* saved, int firstSaved);
}
