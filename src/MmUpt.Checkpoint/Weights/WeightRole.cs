namespace MmUpt.Checkpoint;

/// <summary>What a tensor is for, which decides its random initialisation.</summary>
public enum WeightRole
{
    /// <summary>Linear, conv or embedding weight: normal(0, initializer_range).</summary>
    Matrix,

    /// <summary>Bias: zeros.</summary>
    Bias,

    /// <summary>RMSNorm weight: ones.</summary>
    Norm,
}
