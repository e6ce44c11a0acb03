namespace MmUpt.Data;

/// <summary>
/// A prompt ready for an engine, the in-process twin of <c>mmupt.v1.Prompt</c>: the chat-templated text with one
/// <see cref="PromptTemplate.VisionBlock"/> per image, the images in that order, and the reference answer of labelled
/// evaluation sets (never given to a reward).
/// </summary>
public sealed record PromptSpec(string Id, string Text, IReadOnlyList<ImageData> Images, string? ReferenceAnswer = null);
