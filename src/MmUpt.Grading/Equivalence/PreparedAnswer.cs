using MmUpt.Grading.Expressions;

namespace MmUpt.Grading.Equivalence;

/// <summary>
/// An answer with its normalized forms, computed once: <see cref="Mathd"/> (Hendrycks string rewrite) and
/// <see cref="Key"/> (PRM800K normalization, the canonical key). Tuple elements and parsed expressions are computed on
/// first use. An answer over the length cap is <see cref="Oversize"/>: both forms are the trimmed text.
/// </summary>
public sealed class PreparedAnswer
{
    private string[]? _elements;
    private ParsedExpression?[]? _expressions;
    private bool[]? _parsed;

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

    internal string Mathd { get; }

    /// <summary>The elements of a tuple or interval ("(1,2]" → "1", "2"), else the key itself.</summary>
    internal string[] Elements => _elements ??= TupleSplitter.Split(Key);

    internal ParsedExpression? Expression(int element, ExpressionLimits limits)
    {
        _expressions ??= new ParsedExpression?[Elements.Length];
        _parsed ??= new bool[Elements.Length];
        if (!_parsed[element])
        {
            _expressions[element] = ExpressionParser.Parse(Elements[element], limits);
            _parsed[element] = true;
        }
        return _expressions[element];
    }

    public override string ToString() => Raw;
}
