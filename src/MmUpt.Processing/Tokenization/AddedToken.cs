namespace MmUpt.Processing.Tokenization;

/// <summary>An added token of <c>tokenizer.json</c> (matched before BPE, never split).</summary>
public sealed record AddedToken(int Id, string Content, bool Special);
