namespace LearnedActivation.Model.Networks;

/// <summary>What the AVX-512 fused kernel's backward finds saved from forward, i.e. what it need not recompute.</summary>
internal enum Restoring
{
    /// <summary>Nothing: backward recomputes the whole forward pass.</summary>
    Nothing,

    /// <summary>Every hidden layer but the first: backward recomputes the first (1 -> h1) from x.</summary>
    AllButFirst,

    /// <summary>Every hidden layer: backward recomputes nothing.</summary>
    AllLayers,
}
