using System.Collections.Frozen;
using System.Text;

namespace MmUpt.Grading.Equivalence;

/// <summary>
/// A small LaTeX-to-plain-math converter (the role pylatexenc's <c>latex2text</c> plays in the PRM800K grader), producing
/// what <see cref="Expressions.ExpressionParser"/> reads: <c>\frac{a}{b}</c> → <c>a/b</c> or <c>(a)/(b)</c>,
/// <c>\sqrt[n]{x}</c> → <c>sqrt(x)</c> or <c>(x)^(1/(n))</c>, <c>^{..}</c> → <c>^(..)</c>, <c>\pi</c> → <c>pi</c>,
/// <c>\cdot</c> → <c>*</c>, <c>\text{..}</c> → its text, other braces dropped. Nesting deeper than
/// <see cref="MaxDepth"/> gives null (the caller keeps the input), so recursion stays bounded.
/// </summary>
internal sealed class LatexToText
{
    public const int MaxDepth = 48;

    private static readonly FrozenDictionary<string, string> Symbols = new Dictionary<string, string>
    {
        ["pi"] = "pi", ["infty"] = "inf", ["infinity"] = "inf", ["cdot"] = "*", ["times"] = "*", ["ast"] = "*",
        ["div"] = "/", ["cup"] = "U", ["cap"] = "∩", ["pm"] = "±", ["mp"] = "∓", ["le"] = "≤", ["leq"] = "≤",
        ["ge"] = "≥", ["geq"] = "≥", ["ne"] = "≠", ["neq"] = "≠", ["lt"] = "<", ["gt"] = ">", ["circ"] = "",
        ["degree"] = "", ["%"] = "%", ["$"] = "$", ["{"] = "{", ["}"] = "}", ["_"] = "_", ["&"] = "&", ["#"] = "#",
        [","] = "", ["!"] = "", [";"] = " ", [":"] = " ", [" "] = " ", ["quad"] = " ", ["qquad"] = " ", ["\\"] = " ",
        ["left"] = "", ["right"] = "", ["big"] = "", ["Big"] = "", ["bigl"] = "", ["bigr"] = "", ["Bigl"] = "",
        ["Bigr"] = "", ["displaystyle"] = "", ["limits"] = "", ["mathrm"] = "", ["rm"] = "", ["bf"] = "",
        ["alpha"] = "α", ["beta"] = "β", ["gamma"] = "γ", ["delta"] = "δ", ["epsilon"] = "ε", ["varepsilon"] = "ε",
        ["theta"] = "θ", ["lambda"] = "λ", ["mu"] = "μ", ["sigma"] = "σ", ["phi"] = "φ", ["varphi"] = "φ",
        ["omega"] = "ω", ["rho"] = "ρ", ["tau"] = "τ", ["Delta"] = "Δ", ["Omega"] = "Ω", ["angle"] = "∠",
        ["triangle"] = "△", ["prime"] = "'",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenSet<string> TextCommands = new[]
    {
        "text", "textbf", "textit", "textrm", "mathrm", "mathbf", "mathit", "mathsf", "mathbb", "mbox", "operatorname",
        "boldsymbol", "bm", "hbox", "textnormal",
    }.ToFrozenSet(StringComparer.Ordinal);

    private readonly string _s;
    private int _i;
    private bool _failed;

    private LatexToText(string s) => _s = s;

    /// <summary>The plain form, or null when the input nests deeper than <see cref="MaxDepth"/>.</summary>
    public static string? Convert(string latex) =>
        Convert(latex.Replace("\\frac", " \\frac", StringComparison.Ordinal), depth: 0);

    private static string? Convert(string latex, int depth)
    {
        var converter = new LatexToText(latex);
        var sb = new StringBuilder(latex.Length + 8);
        converter.Run(sb, untilBrace: false, depth);
        return converter._failed ? null : sb.ToString().Trim();
    }

    // Appends converted text until the end, or (untilBrace) until the closing brace of the current group.
    private void Run(StringBuilder sb, bool untilBrace, int depth)
    {
        if (depth > MaxDepth)
        {
            _failed = true;
            return;
        }
        while (_i < _s.Length && !_failed)
        {
            var c = _s[_i];
            if (c == '}')
            {
                _i++;
                if (untilBrace)
                {
                    return;
                }
            }
            else if (c == '{')
            {
                _i++;
                var exponent = sb.Length > 0 && sb[^1] is '^' or '_';
                sb.Append(exponent ? "(" : "");
                Run(sb, untilBrace: true, depth + 1);
                sb.Append(exponent ? ")" : "");
            }
            else if (c == '\\')
            {
                _i++;
                Command(sb, ReadName(), depth);
            }
            else
            {
                sb.Append(c);
                _i++;
            }
        }
    }

    private string ReadName()
    {
        if (_i >= _s.Length)
        {
            return "";
        }
        var start = _i;
        if (!char.IsAsciiLetter(_s[_i]))
        {
            _i++;
            return _s.Substring(start, 1);
        }
        while (_i < _s.Length && char.IsAsciiLetter(_s[_i]))
        {
            _i++;
        }
        return _s[start.._i];
    }

    private void Command(StringBuilder sb, string name, int depth)
    {
        switch (name)
        {
            case "frac" or "dfrac" or "tfrac" or "cfrac":
                var numerator = Argument(depth);
                var denominator = Argument(depth);
                sb.Append(Wrap(numerator)).Append('/').Append(Wrap(denominator));
                return;
            case "sqrt":
                var index = OptionalIndex(depth);
                var radicand = Argument(depth);
                sb.Append(index is null ? $"sqrt({radicand})" : $"({radicand})^(1/({index}))");
                return;
        }
        if (TextCommands.Contains(name))
        {
            sb.Append(Argument(depth));
        }
        else if (Symbols.TryGetValue(name, out var symbol))
        {
            sb.Append(symbol);
        }
        else
        {
            // \sin, \log, \ln... and unknown macros keep their name, as words.
            sb.Append(name);
        }
    }

    // A braced group, or one character / one command when unbraced ("\frac12", "\sqrt\pi").
    private string Argument(int depth)
    {
        while (_i < _s.Length && _s[_i] == ' ')
        {
            _i++;
        }
        if (_i >= _s.Length)
        {
            return "";
        }
        var sb = new StringBuilder();
        if (_s[_i] == '{')
        {
            _i++;
            Run(sb, untilBrace: true, depth + 1);
        }
        else if (_s[_i] == '\\')
        {
            _i++;
            Command(sb, ReadName(), depth + 1);
        }
        else
        {
            sb.Append(_s[_i++]);
        }
        return sb.ToString().Trim();
    }

    private string? OptionalIndex(int depth)
    {
        if (_i >= _s.Length || _s[_i] != '[')
        {
            return null;
        }
        var close = _s.IndexOf(']', _i);
        if (close < 0)
        {
            return null;
        }
        var inner = Convert(_s[(_i + 1)..close], depth + 1);
        _failed |= inner is null;
        _i = close + 1;
        return inner ?? "";
    }

    // Atoms (a number, a name) need no parentheses around them in a quotient.
    private static string Wrap(string x)
    {
        foreach (var c in x)
        {
            if (!char.IsLetterOrDigit(c) && c != '.')
            {
                return $"({x})";
            }
        }
        return x.Length == 0 ? "()" : x;
    }
}
