namespace MmUpt.Sampling;

/// <summary>One response: text decoded with special tokens skipped, how it ended, and its token count.</summary>
public sealed record SampledText(string Text, SampleFinish Finish, int TokenCount);
