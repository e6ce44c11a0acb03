using System.Text;
using System.Text.RegularExpressions;

namespace MmUpt.Processing.Tokenization;

/// <summary>
/// Qwen2's pre-tokenizer: NFC, then the split regex below (digits one by one, letters with one leading non-letter,
/// punctuation runs, newlines, spaces). Merges never cross the pieces it returns.
/// </summary>
public static partial class QwenPreTokenizer
{
    /// <summary>The pattern written into tokenizer.json (<c>pre_tokenizer.pretokenizers[0].pattern.Regex</c>).</summary>
    public const string Pattern =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    [GeneratedRegex(Pattern)]
    private static partial Regex Split();

    public static IEnumerable<string> Pieces(string text)
    {
        foreach (Match m in Split().Matches(text.Normalize(NormalizationForm.FormC)))
        {
            yield return m.Value;
        }
    }
}
