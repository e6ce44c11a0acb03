namespace MmUpt.Processing.Layout;

/// <summary>3-D mRoPE positions [3, B, L] (temporal, height, width) and per-row decode offsets.</summary>
public sealed record RopeIndexResult(long[,,] Positions, long[] Deltas);
