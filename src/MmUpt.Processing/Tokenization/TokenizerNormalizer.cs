using System.Text;
using ADRaffy.ENSNormalize;

namespace MmUpt.Processing.Tokenization;

/// <summary>
/// The <c>normalizer</c> of a <c>tokenizer.json</c> that this tokenizer applies: none, NFC (Qwen2/2.5/3) or NFD.
/// Applied to the text between added tokens, before the split, as Hugging Face tokenizers does. It uses a managed
/// Unicode normaliser (ADRaffy.ENSNormalize's, which passes the Unicode normalisation test suite): this repository
/// runs with InvariantGlobalization, under which <c>string.Normalize</c> returns its input unchanged.
/// </summary>
public sealed class TokenizerNormalizer
{
    private readonly Func<string, string> _apply;

    private TokenizerNormalizer(string name, Func<string, string> apply)
    {
        Name = name;
        _apply = apply;
    }

    /// <summary>The tokenizer.json <c>normalizer.type</c> ("none" for a null normalizer).</summary>
    public string Name { get; }

    public static TokenizerNormalizer None { get; } = new("none", s => s);
    public static TokenizerNormalizer Nfc { get; } = new("NFC", ENSNormalize.NF.NFC);
    public static TokenizerNormalizer Nfd { get; } = new("NFD", ENSNormalize.NF.NFD);

    /// <summary>The normaliser for a tokenizer.json <c>normalizer.type</c> (null: no normaliser), or null if unsupported.</summary>
    public static TokenizerNormalizer? FromType(string? type) => type switch
    {
        null => None,
        "NFC" => Nfc,
        "NFD" => Nfd,
        _ => null,
    };

    /// <summary>
    /// The normalised text. A lone surrogate becomes U+FFFD first, which is what its UTF-8 encoding would be (Hugging
    /// Face only ever sees valid UTF-8).
    /// </summary>
    public string Normalize(string text)
    {
        if (Ascii.IsValid(text)) return text;   // ASCII is invariant under every normal form
        return _apply(WellFormed(text));
    }

    private static string WellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsSurrogate(text[i]) && !(char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[++i])))
            {
                return Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));
            }
        }
        return text;
    }
}
