namespace MmUpt.Grading.Expressions;

/// <summary>
/// Recursive-descent parser of plain math with sympy's reading of juxtaposition:
/// <code>
///   sum     = product (('+' | '-') product)*
///   product = unary (('*' | '/') unary | unary)*      // "2x", "2(x+1)", "x sqrt(2)": implicit multiplication
///   unary   = ('-' | '+') unary | power
///   power   = primary ('^' unary)?                    // right-associative: 2^3^2 = 2^9
///   primary = number | variable | '(' sum ')' | function (primary-or-power)
/// </code>
/// Null on any syntax error, or when nesting exceeds <see cref="ExpressionLimits.MaxDepth"/>.
/// </summary>
internal sealed class ExpressionParser
{
    private readonly List<Token> _tokens;
    private readonly int _maxDepth;
    private int _at;
    private int _depth;
    private bool _failed;

    private ExpressionParser(List<Token> tokens, int maxDepth) => (_tokens, _maxDepth) = (tokens, maxDepth);

    public static ParsedExpression? Parse(string text, ExpressionLimits limits)
    {
        var tokens = Tokenizer.Tokenize(text, limits);
        if (tokens is null || tokens.Count == 0)
        {
            return null;
        }
        var variables = tokens.Where(t => t.Kind == 'v').Select(t => t.Code).Distinct().ToArray();
        if (variables.Length > limits.MaxVariables)
        {
            return null;
        }
        var parser = new ExpressionParser(tokens, limits.MaxDepth);
        var root = parser.Sum();
        return parser._failed || parser._at != tokens.Count || root is null ? null : new ParsedExpression(root, variables);
    }

    private Token? Peek => _at < _tokens.Count ? _tokens[_at] : null;

    private ExprNode? Sum()
    {
        var left = Product();
        while (!_failed && Peek is { Kind: '+' or '-' } op)
        {
            _at++;
            left = Binary(op.Kind == '+' ? ExprKind.Add : ExprKind.Subtract, left, Product());
        }
        return left;
    }

    private ExprNode? Product()
    {
        var left = Unary();
        while (!_failed && Peek is { } next)
        {
            if (next.Kind is '*' or '/')
            {
                _at++;
                left = Binary(next.Kind == '*' ? ExprKind.Multiply : ExprKind.Divide, left, Unary());
            }
            else if (next.Kind is '0' or 'v' or 'f' or '(')
            {
                left = Binary(ExprKind.Multiply, left, Unary());
            }
            else
            {
                break;
            }
        }
        return left;
    }

    private ExprNode? Unary()
    {
        if (++_depth > _maxDepth)
        {
            return Fail();
        }
        ExprNode? node;
        if (Peek is { Kind: '-' or '+' } sign)
        {
            _at++;
            var operand = Unary();
            node = sign.Kind == '-' && operand is not null ? new ExprNode(ExprKind.Negate, left: operand) : operand;
        }
        else
        {
            node = Power();
        }
        _depth--;
        return node;
    }

    private ExprNode? Power()
    {
        var primary = Primary();
        if (!_failed && Peek is { Kind: '^' })
        {
            _at++;
            return Binary(ExprKind.Power, primary, Unary());
        }
        return primary;
    }

    private ExprNode? Primary()
    {
        if (Peek is not { } t)
        {
            return Fail();
        }
        _at++;
        switch (t.Kind)
        {
            case '0':
                return new ExprNode(ExprKind.Number, t.Value);
            case 'v':
                return new ExprNode(ExprKind.Variable, index: t.Code);
            case '(':
                var inner = Sum();
                if (Peek is not { Kind: ')' })
                {
                    return Fail();
                }
                _at++;
                return inner;
            case 'f':
                // "sec^2(y)" = (sec y)^2
                ExprNode? exponent = null;
                if (Peek is { Kind: '^' })
                {
                    _at++;
                    exponent = Primary();
                }
                var argument = Power();
                var call = argument is null ? Fail() : new ExprNode(ExprKind.Function, index: t.Code, left: argument);
                return exponent is null || call is null ? call : new ExprNode(ExprKind.Power, left: call, right: exponent);
            default:
                return Fail();
        }
    }

    private ExprNode? Binary(ExprKind kind, ExprNode? left, ExprNode? right) =>
        left is null || right is null ? Fail() : new ExprNode(kind, left: left, right: right);

    private ExprNode? Fail()
    {
        _failed = true;
        return null;
    }
}
