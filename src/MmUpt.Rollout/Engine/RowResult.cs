namespace MmUpt.Rollout.Engine;

/// <summary>A finished row: its response, the batch's prefill time, and the decode time until this row finished.</summary>
public sealed record RowResult(SampledSequence Sequence, TimeSpan Prefill, TimeSpan Decode);
