namespace MmUpt.Sampling;

/// <summary>Why a sampled response ended (mirrors <c>mmupt.v1.FinishReason</c> without the unset value).</summary>
public enum SampleFinish
{
    /// <summary>An end-of-sequence token was sampled.</summary>
    Stop,

    /// <summary><see cref="SamplingSettings.MaxNewTokens"/> or the context length was reached.</summary>
    Length,
}
