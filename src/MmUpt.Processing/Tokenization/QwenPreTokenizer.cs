using System.Text;

namespace MmUpt.Processing.Tokenization;

/// <summary>
/// Qwen2's split pre-tokenizer (<c>pre_tokenizer.pretokenizers[0]</c> of Qwen2/2.5/3 <c>tokenizer.json</c>, behaviour
/// "Isolated"), evaluated on Unicode code points as Hugging Face tokenizers does (Oniguruma over UTF-8). A .NET regex
/// would see UTF-16 code units, so an astral letter or digit (𝑥, 𝟏) would be neither <c>\p{L}</c> nor <c>\p{N}</c> and
/// the pieces around it would differ. This is a scanner equivalent to <see cref="Pattern"/>: at each position the
/// alternatives are tried in order, with the outcome the backtracking engine reaches (leftmost-first):
/// <code>
/// 1 (?i:'s|'t|'re|'ve|'m|'ll|'d)   contraction ('ſ folds to 's, as in Oniguruma)
/// 2 [^\r\n\p{L}\p{N}]?\p{L}+        letters with at most one leading non-letter, non-digit, non-newline
/// 3 \p{N}                           one digit (numbers split digit by digit)
/// 4  ?[^\s\p{L}\p{N}]+[\r\n]*       punctuation run, an optional leading space, trailing newlines
/// 5 \s*[\r\n]+                      whitespace up to its last newline
/// 6 \s+(?!\S)                       whitespace not followed by a non-space: all but the last char, or all at the end
/// 7 \s+                             (reached only for a single whitespace char before a non-space)
/// </code>
/// Classes: <c>\p{L}</c> = Rune.IsLetter (Lu Ll Lt Lm Lo), <c>\p{N}</c> = Rune.IsNumber (Nd Nl No), <c>\s</c> =
/// Rune.IsWhiteSpace (Unicode White_Space, U+0085 included, U+FEFF not), as Oniguruma defines them for UTF-8.
/// Every code point is matched by one branch, so the pieces cover the text. A lone surrogate counts as U+FFFD (what
/// its UTF-8 encoding becomes).
/// </summary>
public static class QwenPreTokenizer
{
    /// <summary>The pattern of Qwen's tokenizer.json (<c>pre_tokenizer.pretokenizers[0].pattern.Regex</c>).</summary>
    public const string Pattern =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private enum Kind : byte { Letter, Number, Newline, Space, Other }

    /// <summary>The pieces of an already normalised text, in order; merges never cross them.</summary>
    public static IEnumerable<string> Pieces(string text)
    {
        var (starts, kinds, folded) = Classify(text);
        var n = kinds.Length;
        for (var i = 0; i < n;)
        {
            var end = MatchAt(kinds, folded, i);
            yield return text[starts[i]..starts[end]];
            i = end;
        }
    }

    /// <summary>Per code point: its UTF-16 start (plus the end as a sentinel), class and lower-case ASCII fold.</summary>
    private static (int[] Starts, Kind[] Kinds, char[] Folded) Classify(string text)
    {
        var starts = new List<int>(text.Length + 1);
        var kinds = new List<Kind>(text.Length);
        var folded = new List<char>(text.Length);
        for (var at = 0; at < text.Length;)
        {
            Rune.DecodeFromUtf16(text.AsSpan(at), out var rune, out var used);
            starts.Add(at);
            kinds.Add(rune.Value is '\r' or '\n' ? Kind.Newline
                : Rune.IsWhiteSpace(rune) ? Kind.Space
                : Rune.IsLetter(rune) ? Kind.Letter
                : Rune.IsNumber(rune) ? Kind.Number
                : Kind.Other);
            // Case-insensitive contractions: ASCII letters and U+017F (long s, whose simple case fold is 's').
            folded.Add(rune.Value == 0x17F ? 's' : rune.IsAscii ? char.ToLowerInvariant((char)rune.Value) : '\0');
            at += used;
        }
        starts.Add(text.Length);
        return ([.. starts], [.. kinds], [.. folded]);
    }

    /// <summary>The end (exclusive, in code points) of the piece that starts at <paramref name="i"/>.</summary>
    private static int MatchAt(Kind[] k, char[] f, int i)
    {
        var n = k.Length;
        bool Is(int j, Kind kind) => j < n && k[j] == kind;
        bool IsWhite(int j) => j < n && k[j] is Kind.Space or Kind.Newline;

        // 1: contractions.
        if (f[i] == '\'' && i + 1 < n)
        {
            if (f[i + 1] is 's' or 't' or 'm' or 'd') return i + 2;
            if (i + 2 < n && (f[i + 1], f[i + 2]) is ('r', 'e') or ('v', 'e') or ('l', 'l')) return i + 3;
        }
        // 2: letters, optionally after one char that is not a letter, digit, CR or LF.
        if (Is(i, Kind.Letter)) return RunEnd(k, i, Kind.Letter);
        if (k[i] is Kind.Space or Kind.Other && Is(i + 1, Kind.Letter)) return RunEnd(k, i + 1, Kind.Letter);
        // 3: one digit.
        if (k[i] == Kind.Number) return i + 1;
        // 4: punctuation run (after an optional U+0020), then newlines.
        var p = f[i] == ' ' && k[i] == Kind.Space && Is(i + 1, Kind.Other) ? i + 1 : i;
        if (k[p] == Kind.Other) return RunEnd(k, RunEnd(k, p, Kind.Other), Kind.Newline);
        // 5-7: k[i] is whitespace here.
        var end = i;
        var lastNewline = -1;
        while (IsWhite(end))
        {
            if (k[end] == Kind.Newline) lastNewline = end;
            end++;
        }
        if (lastNewline >= 0) return lastNewline + 1;
        if (end == n || end - i == 1) return end;
        return end - 1;
    }

    private static int RunEnd(Kind[] k, int from, Kind kind)
    {
        while (from < k.Length && k[from] == kind) from++;
        return from;
    }
}
