using System.ComponentModel.DataAnnotations;

namespace MmUpt.Sampling;

/// <summary>
/// How an <see cref="ISampler"/> samples; the same meaning as <c>mmupt.v1.SamplingParams</c>, with defaults resolved.
/// Defaults are MM-UPT's rollout settings except <see cref="MaxNewTokens"/>, sized for the tiny CPU model.
/// </summary>
public sealed record SamplingSettings
{
    /// <summary>Logits are divided by it; must be &gt; 0 (greedy decoding is <see cref="TopK"/> = 1). Default 0.7.</summary>
    [Range(1e-4, 100.0)]
    public float Temperature { get; init; } = 0.7f;

    /// <summary>Nucleus mass in (0, 1]; 1 = no truncation. Default 0.99 (MM-UPT).</summary>
    [Range(1e-6, 1.0)]
    public float TopP { get; init; } = 0.99f;

    /// <summary>Keep the k most likely tokens; 0 = off (default).</summary>
    [Range(0, int.MaxValue)]
    public int TopK { get; init; }

    /// <summary>Cap on new tokens per response (default 256).</summary>
    [Range(1, int.MaxValue)]
    public int MaxNewTokens { get; init; } = 256;

    /// <summary>
    /// Seed of the n samples of one call. The same (weights, prompt, n, settings, seed) must give the same texts on the
    /// same engine build; sample i of a call must differ in randomness from sample j.
    /// </summary>
    public ulong Seed { get; init; } = 1;
}
