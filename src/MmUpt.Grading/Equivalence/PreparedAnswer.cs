namespace MmUpt.Grading.Equivalence;

/// <summary>
/// An answer with its normalized forms, computed once: <see cref="Mathd"/> and <see cref="Key"/> (faithful: the
/// Hendrycks rewrite and the PRM800K normalization; robust: the cleaned text and it without spaces). Tuple elements and
/// parsed structures are computed on first use. An answer over the length cap is <see cref="Oversize"/>: both forms are the trimmed text.
/// </summary>
public sealed class PreparedAnswer
{
    private string[]? _elements;

    internal PreparedAnswer(string raw, string mathd, string key, bool oversize)
    {
        Raw = raw;
        Mathd = mathd;
        Key = key;
        Oversize = oversize;
    }

    /// <summary>The answer as given, trimmed.</summary>
    public string Raw { get; }

    /// <summary>The canonical form: equal keys mean equivalent answers (the converse does not hold).</summary>
    public string Key { get; }

    public bool Oversize { get; }

    /// <summary>Faithful: the Hendrycks form; robust: the cleaned text (<see cref="Robust.RobustLatex"/>).</summary>
    internal string Mathd { get; }

    /// <summary>Robust: the parsed structure, computed on first comparison.</summary>
    internal Robust.AnswerValue? Structure { get; set; }

    /// <summary>The elements of a tuple or interval ("(1,2]" → "1", "2"), else the key itself.</summary>
    internal string[] Elements => _elements ??= TupleSplitter.Split(Key);

    public override string ToString() => Raw;
}
