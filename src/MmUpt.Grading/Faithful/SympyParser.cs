using System.Globalization;
using System.Numerics;
using System.Text;

namespace MmUpt.Grading.Faithful;

/// <summary>
/// Reads a normalized answer the way MathRuler's <c>_sympy_parse</c> does (<c>^</c> → <c>**</c>, sympy's standard
/// transformations plus implicit multiplication and application): <c>2x</c>, <c>x(x+1)</c>, <c>sqrt(2)x</c> multiply;
/// a name is one symbol when it contains "_", else it splits into letters and digits (<c>xy</c> → x·y, <c>a3</c> →
/// 3a, <c>pi2</c> → 2·i·p); <c>pi</c>, <c>sqrt</c>, <c>ln</c>/<c>log</c> are sympy's; <c>n!</c> is a factorial;
/// <c>1.5</c>, <c>.5</c>, <c>1e-3</c> are Floats, kept as their exact decimal value (see <see cref="SympyEquality"/>). Null on anything sympy would reject or we do not model (commas,
/// relations, unknown characters), which the grader counts as "not equal", as the original's <c>except</c> does.
/// Bounded: at most <see cref="MaxTokens"/> tokens and <see cref="MaxDepth"/> levels.
/// </summary>
internal sealed class SympyParser
{
    public const int MaxTokens = 256;
    public const int MaxDepth = 64;

    private readonly List<SympyNode?> _atoms = []; // aligned with _ops: the atom of each 'a' token
    private readonly List<char> _ops = [];
    private int _at;
    private int _depth;

    public static SympyNode? Parse(string text)
    {
        var p = new SympyParser();
        if (!p.Tokenize(text))
        {
            return null;
        }
        var node = p.Sum();
        return node is not null && p._at == p._ops.Count ? node : null;
    }

    // Tokens: _ops[i] is the kind ('a' atom, or an operator / parenthesis); atoms in _atoms in order.
    private bool Tokenize(string s)
    {
        for (var i = 0; i < s.Length;)
        {
            if (_ops.Count > MaxTokens)
            {
                return false;
            }
            var c = s[i];
            if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < s.Length && char.IsAsciiDigit(s[i + 1])))
            {
                i = Number(s, i);
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] == '_'))
                {
                    i++;
                }
                Name(s[start..i]);
            }
            else if (c == '*' && i + 1 < s.Length && s[i + 1] == '*')
            {
                Operator('^');
                i += 2;
            }
            else if ("+-*/^()!".Contains(c))
            {
                Operator(c);
                i++;
            }
            else
            {
                return false;
            }
        }
        return true;
    }

    private int Number(string s, int i)
    {
        var start = i;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }
        var isFloat = false;
        if (i < s.Length && s[i] == '.')
        {
            isFloat = true;
            i++;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }
        }
        if (i + 1 < s.Length && s[i] is 'e' or 'E')
        {
            var j = i + 1 + (s[i + 1] is '+' or '-' ? 1 : 0);
            if (j < s.Length && char.IsAsciiDigit(s[j]))
            {
                isFloat = true;
                for (i = j; i < s.Length && char.IsAsciiDigit(s[i]);)
                {
                    i++;
                }
            }
        }
        var text = s[start..i];
        var exact = text.Length <= 600 ? ExactNumber.ParseDecimal(text) : null;
        Atom(new SympyNode('n', Exact: exact, IsFloat: isFloat));
        return i;
    }

    private void Name(string name)
    {
        switch (name)
        {
            case "pi":
                Atom(new SympyNode('p'));
                return;
            case "sqrt" or "ln" or "log":
                Atom(new SympyNode('f', Name: name == "sqrt" ? "sqrt" : "log"));
                return;
        }
        if (name.Contains('_') || name.Length == 1)
        {
            Atom(new SympyNode('s', Name: name));
            return;
        }
        foreach (var c in name)
        {
            Atom(char.IsAsciiDigit(c)
                ? new SympyNode('n', Exact: new ExactNumber(c - '0', BigInteger.One))
                : new SympyNode('s', Name: c.ToString()));
        }
    }

    private void Atom(SympyNode node)
    {
        _atoms.Add(node);
        _ops.Add('a');
    }

    private void Operator(char op)
    {
        _atoms.Add(null);
        _ops.Add(op);
    }

    private char Peek => _at < _ops.Count ? _ops[_at] : '\0';

    private SympyNode? Sum()
    {
        var left = Product();
        while (left is not null && Peek is '+' or '-')
        {
            var op = _ops[_at++];
            left = Binary(op, left, Product());
        }
        return left;
    }

    private SympyNode? Product()
    {
        var left = Unary();
        while (left is not null)
        {
            if (Peek is '*' or '/')
            {
                var op = _ops[_at++];
                left = Binary(op, left, Unary());
            }
            else if (Peek is 'a' or '(')
            {
                left = Binary('*', left, Unary()); // implicit multiplication
            }
            else
            {
                break;
            }
        }
        return left;
    }

    private SympyNode? Unary()
    {
        if (++_depth > MaxDepth)
        {
            return null;
        }
        SympyNode? node;
        if (Peek is '-' or '+')
        {
            var op = _ops[_at++];
            var operand = Unary();
            node = op == '-' && operand is not null ? new SympyNode('~', operand) : operand;
        }
        else
        {
            node = Power();
        }
        _depth--;
        return node;
    }

    private SympyNode? Power()
    {
        var node = Postfix();
        if (node is not null && Peek == '^')
        {
            _at++;
            return Binary('^', node, Unary());
        }
        return node;
    }

    private SympyNode? Postfix()
    {
        var node = Primary();
        while (node is not null && Peek == '!')
        {
            _at++;
            node = new SympyNode('!', node);
        }
        return node;
    }

    private SympyNode? Primary()
    {
        switch (Peek)
        {
            case 'a':
                var atom = _atoms[_at]!;
                _at++;
                if (atom.Op != 'f')
                {
                    return atom;
                }
                // implicit application: "sqrt(2)" and "sqrt 2" both call the function
                var argument = Peek == '(' ? Primary() : Power();
                return argument is null ? null : atom with { Left = argument };
            case '(':
                _at++;
                var inner = Sum();
                if (inner is null || Peek != ')')
                {
                    return null;
                }
                _at++;
                return inner;
            default:
                return null;
        }
    }

    private static SympyNode? Binary(char op, SympyNode? left, SympyNode? right) =>
        left is null || right is null ? null : new SympyNode(op, left, right);
}
