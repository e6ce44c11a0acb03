using System.Text;

namespace MmUpt.Grading.Faithful;

/// <summary>
/// The part of pylatexenc 2.10's <c>latex_to_text</c> that MathRuler's <c>_parse_latex</c> relies on: macros print
/// their <see cref="PyLatexSymbols"/> text and swallow the spaces after their name, braces vanish, <c>\frac{a}{b}</c>
/// prints <c>a/b</c> with no parentheses (so <c>\frac{x+1}{2}</c> is <c>x+1/2</c>), <c>\sqrt{x}</c> prints
/// <c>√(x)</c>, <c>&amp;</c> three spaces, matrices <c>[ a b; c d ]</c>. One deliberate departure: pylatexenc drops
/// the index of <c>\sqrt[3]{2}</c> (so it equals <c>\sqrt2</c>); here it prints <c>√(2)^(1/(3))</c>.
/// Null where pylatexenc raises (a <c>\sqrt</c> without argument) or nesting passes <see cref="MaxDepth"/>.
/// </summary>
internal sealed class PyLatexText
{
    public const int MaxDepth = 64;

    private static readonly string[] MatrixEnvironments = ["array", "pmatrix", "bmatrix", "smallmatrix", "psmallmatrix", "bsmallmatrix"];

    private readonly string _s;
    private int _i;
    private int _depth;
    private bool _failed;

    private PyLatexText(string s) => _s = s;

    public static string? Render(string latex)
    {
        var r = new PyLatexText(latex);
        var sb = new StringBuilder(latex.Length);
        r.Nodes(sb, inGroup: false);
        return r._failed ? null : sb.ToString();
    }

    private void Nodes(StringBuilder sb, bool inGroup)
    {
        if (++_depth > MaxDepth)
        {
            _failed = true;
        }
        while (_i < _s.Length && !_failed)
        {
            var c = _s[_i++];
            switch (c)
            {
                case '}' when inGroup:
                    _depth--;
                    return;
                case '}' or '$':
                    break;
                case '{':
                    Nodes(sb, inGroup: true);
                    break;
                case '\\':
                    Macro(sb);
                    break;
                case '&':
                    sb.Append("   ");
                    break;
                case '~':
                    sb.Append('\u00a0');
                    break;
                case '%':
                    while (_i < _s.Length && _s[_i] != '\n')
                    {
                        _i++;
                    }
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }
        _depth--;
    }

    private void Macro(StringBuilder sb)
    {
        if (_i >= _s.Length)
        {
            return;
        }
        if (!char.IsAsciiLetter(_s[_i]))
        {
            sb.Append(PyLatexSymbols.Symbol(_s[_i++]));
            return;
        }
        var start = _i;
        while (_i < _s.Length && char.IsAsciiLetter(_s[_i]))
        {
            _i++;
        }
        var name = _s[start.._i];
        SkipSpaces();
        switch (name)
        {
            case "frac" or "nicefrac" or "textfrac":
                Fraction(sb);
                return;
            case "sqrt":
                Root(sb);
                return;
            case "begin":
                Environment(sb);
                return;
        }
        if (PyLatexSymbols.Text.TryGetValue(name, out var text))
        {
            sb.Append(text);
        }
        else if (PyLatexSymbols.Discarding.Contains(name))
        {
            Argument();
        }
        else if (PyLatexSymbols.Alphabet(name) is { } alphabet)
        {
            sb.Append(Styled(Argument() ?? "", alphabet, name == "mathbb"));
        }
    }

    private void Fraction(StringBuilder sb)
    {
        var at = _i;
        var (a, b) = (Argument(), Argument());
        if (a is null || b is null)
        {
            _i = at; // pylatexenc prints its template when the arguments are missing
            sb.Append("%s/%s");
            return;
        }
        sb.Append(a).Append('/').Append(b);
    }

    private void Root(StringBuilder sb)
    {
        string? index = null;
        if (_i < _s.Length && _s[_i] == '[')
        {
            var close = _s.IndexOf(']', _i);
            if (close > 0)
            {
                index = Render(_s[(_i + 1)..close]) ?? "";
                _i = close + 1;
            }
        }
        if (Argument() is not { } radicand)
        {
            _failed = true;
            return;
        }
        sb.Append("√(").Append(radicand).Append(')');
        if (index is not null)
        {
            sb.Append("^(1/(").Append(index).Append("))");
        }
    }

    // A braced group, one macro, or one character; null at the end of input or before a closing brace.
    private string? Argument()
    {
        SkipSpaces();
        if (_i >= _s.Length || _s[_i] == '}')
        {
            return null;
        }
        var sb = new StringBuilder();
        var c = _s[_i++];
        if (c == '{')
        {
            Nodes(sb, inGroup: true);
        }
        else if (c == '\\')
        {
            Macro(sb);
        }
        else
        {
            sb.Append(c);
        }
        return sb.ToString();
    }

    // \begin{name}...\end{name}: matrices print "[ a b; c d ]", any other environment its content.
    private void Environment(StringBuilder sb)
    {
        if (_i >= _s.Length || _s[_i] != '{')
        {
            return;
        }
        var close = _s.IndexOf('}', _i);
        if (close < 0)
        {
            return;
        }
        var name = _s[(_i + 1)..close];
        var end = @"\end{" + name + "}";
        var bodyStart = close + 1;
        var bodyEnd = _s.IndexOf(end, bodyStart, StringComparison.Ordinal);
        _i = bodyEnd < 0 ? _s.Length : bodyEnd + end.Length;
        var body = _s[bodyStart..(bodyEnd < 0 ? _s.Length : bodyEnd)];
        if (!MatrixEnvironments.Contains(name))
        {
            sb.Append(Render(body));
            return;
        }
        if (name == "array" && body.StartsWith('{'))
        {
            var spec = body.IndexOf('}');
            body = spec < 0 ? "" : body[(spec + 1)..];
        }
        var rows = body.Split(@"\\")
            .Select(row => string.Join(' ', row.Split('&').Select(cell => (Render(cell) ?? "").Trim()).Where(cell => cell.Length > 0)))
            .Where(row => row.Length > 0);
        sb.Append("[ ").Append(string.Join("; ", rows)).Append(" ]");
    }

    private void SkipSpaces()
    {
        while (_i < _s.Length && _s[_i] is ' ' or '\t' or '\n' or '\r')
        {
            _i++;
        }
    }

    private static string Styled(string text, (int Upper, int Lower) alphabet, bool doubleStruck)
    {
        var sb = new StringBuilder(text.Length * 2);
        foreach (var c in text)
        {
            if (doubleStruck && "CHNPQRZ".Contains(c))
            {
                sb.Append("ℂℍℕℙℚℝℤ"["CHNPQRZ".IndexOf(c)]);
            }
            else if (char.IsAsciiLetter(c))
            {
                sb.Append(char.ConvertFromUtf32((char.IsAsciiLetterUpper(c) ? alphabet.Upper : alphabet.Lower) + char.ToLowerInvariant(c) - 'a'));
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }
}
