namespace MmUpt.Processing.Tokenization;

/// <summary>
/// Qwen2.5-VL's added tokens, in Qwen's order. Our tokenizer gives them the ids 0..21 (before the byte tokens), so the
/// ids do not depend on how many merges were trained; Qwen's own files put them at 151643.. instead.
/// </summary>
public static class QwenSpecialTokens
{
    public const string EndOfText = "<|endoftext|>";
    public const string ImStart = "<|im_start|>";
    public const string ImEnd = "<|im_end|>";
    public const string VisionStart = "<|vision_start|>";
    public const string VisionEnd = "<|vision_end|>";
    public const string VisionPad = "<|vision_pad|>";
    public const string ImagePad = "<|image_pad|>";
    public const string VideoPad = "<|video_pad|>";

    /// <summary>(content, special) in id order; the last eight are added but not special, as in Qwen's files.</summary>
    public static IReadOnlyList<(string Content, bool Special)> All { get; } =
    [
        (EndOfText, true), (ImStart, true), (ImEnd, true),
        ("<|object_ref_start|>", true), ("<|object_ref_end|>", true), ("<|box_start|>", true), ("<|box_end|>", true),
        ("<|quad_start|>", true), ("<|quad_end|>", true),
        (VisionStart, true), (VisionEnd, true), (VisionPad, true), (ImagePad, true), (VideoPad, true),
        ("<tool_call>", false), ("</tool_call>", false), ("<|fim_prefix|>", false), ("<|fim_middle|>", false),
        ("<|fim_suffix|>", false), ("<|fim_pad|>", false), ("<|repo_name|>", false), ("<|file_sep|>", false),
    ];

    public static int Id(string content)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (All[i].Content == content) return i;
        }
        throw new KeyNotFoundException($"{content} is not a Qwen added token");
    }
}
