namespace MmUpt.Rollout.Engine;

/// <summary>What one batched generator did: rows, prompt tokens prefilled (padding excluded), tokens generated, and times.</summary>
public sealed record BatchStats(int Rows, long PromptTokens, long GeneratedTokens, TimeSpan Prefill, TimeSpan Decode);
