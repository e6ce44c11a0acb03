using System.Globalization;

namespace MmUpt.Grading.Expressions;

/// <summary>
/// Splits plain math (the output of the normalizer) into tokens. Letter runs are read as known names
/// (<see cref="MathFunctions"/>, <c>pi</c>) or else one variable per letter, as sympy's implicit-multiplication parser
/// splits <c>xy</c>. Null for an unknown character or more than <see cref="ExpressionLimits.MaxTokens"/> tokens.
/// </summary>
internal static class Tokenizer
{
    private static readonly string[] Names = [.. MathFunctions.ByName.Keys.Append("pi").OrderByDescending(n => n.Length)];

    public static List<Token>? Tokenize(string s, ExpressionLimits limits)
    {
        if (s.Length > limits.MaxLength)
        {
            return null;
        }
        var tokens = new List<Token>(Math.Min(s.Length, limits.MaxTokens));
        for (var i = 0; i < s.Length;)
        {
            if (tokens.Count >= limits.MaxTokens)
            {
                return null;
            }
            var c = s[i];
            if (c == ' ')
            {
                i++;
            }
            else if (char.IsAsciiDigit(c) || c == '.')
            {
                var start = i;
                while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
                {
                    i++;
                }
                i = Exponent(s, i);
                if (!double.TryParse(s.AsSpan(start, i - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                {
                    return null;
                }
                tokens.Add(new Token('0', v));
            }
            else if (char.IsAsciiLetter(c))
            {
                i = Word(s, i, tokens);
            }
            else if (char.IsLetter(c))
            {
                tokens.Add(c == 'π' ? new Token('0', Math.PI) : new Token('v', Code: c));
                i++;
            }
            else
            {
                var op = Operator(s, ref i);
                if (op == '\0')
                {
                    return null;
                }
                tokens.Add(op == '√' ? new Token('f', Code: (int)MathFunction.Sqrt) : new Token(op));
            }
        }
        return tokens;
    }

    private static int Word(string s, int i, List<Token> tokens)
    {
        foreach (var name in Names)
        {
            if (string.CompareOrdinal(s, i, name, 0, name.Length) == 0)
            {
                tokens.Add(name == "pi" ? new Token('0', Math.PI) : new Token('f', Code: (int)MathFunctions.ByName[name]));
                return i + name.Length;
            }
        }
        return Variable(s, i, tokens);
    }

    // "x", or a subscripted name "a_3" / "a_(37)" (LaTeX a_{37}) as one variable of its own.
    private static int Variable(string s, int i, List<Token> tokens)
    {
        var end = i + 1;
        if (end + 1 < s.Length && s[end] == '_')
        {
            var close = s[end + 1] == '(' ? s.IndexOf(')', end + 1) : char.IsLetterOrDigit(s[end + 1]) ? end + 1 : -1;
            if (close > 0)
            {
                var name = s[i..(close + 1)];
                tokens.Add(new Token('v', Code: 0x110000 + (int)(Fnv(name) & 0x3FFFFFFF)));
                return close + 1;
            }
        }
        tokens.Add(new Token('v', Code: s[i]));
        return end;
    }

    // "1e-3", "2.5E4": an exponent only when digits follow, so "2e" stays 2·e.
    private static int Exponent(string s, int i)
    {
        if (i + 1 < s.Length && s[i] is 'e' or 'E')
        {
            var j = i + 1 + (s[i + 1] is '+' or '-' ? 1 : 0);
            if (j < s.Length && char.IsAsciiDigit(s[j]))
            {
                while (j < s.Length && char.IsAsciiDigit(s[j]))
                {
                    j++;
                }
                return j;
            }
        }
        return i;
    }

    private static uint Fnv(string s)
    {
        var h = 2166136261u;
        foreach (var c in s)
        {
            h = (h ^ c) * 16777619u;
        }
        return h;
    }

    private static char Operator(string s, ref int i)
    {
        var c = s[i++];
        switch (c)
        {
            case '*' when i < s.Length && s[i] == '*':
                i++;
                return '^';
            case '+' or '-' or '*' or '/' or '^' or '(' or ')' or '√':
                return c;
            case '[':
                return '(';
            case ']':
                return ')';
            case '·' or '×':
                return '*';
            case '÷':
                return '/';
            default:
                return '\0';
        }
    }
}
