using System.Numerics;

namespace MmUpt.Grading.Faithful;

/// <summary>
/// Stands in for MathRuler's <c>are_equal_under_sympy</c>: <c>simplify((truth) - (given)) == 0</c>, behind
/// <see cref="SympyGate"/>. Both sides are evaluated exactly in rationals at <see cref="Points"/> sample points where
/// each symbol takes a rational value (both signs, non-integers) and π a rational stand-in that no decimal equals,
/// so a polynomial or rational identity holds exactly and <c>1.3333333333333333π ≠ 4π/3</c>, as in sympy. A Float
/// counts as its decimal value: <c>0.1</c> = 1/10 (sympy rounds both to the Float's 53 bits), while a 16-digit
/// <c>0.3333333333333333</c> ≠ 1/3 (sympy gives such a Float more bits). Where an irrational root or a log enters,
/// the comparison falls back to doubles within 1e-10, and when a Float is involved the two sides must then hold the
/// same irrational atoms, since sympy leaves <c>1.4142135623730951 - sqrt(2)</c> unsimplified.
/// </summary>
internal static class SympyEquality
{
    public const int Points = 4;

    public static bool Equal(string truth, string given)
    {
        if (!SympyGate.Allows($"({truth})-({given})"))
        {
            return false;
        }
        if (SympyParser.Parse(truth) is not { } a || SympyParser.Parse(given) is not { } b)
        {
            return false;
        }
        var (atomsA, atomsB) = (new SortedSet<string>(StringComparer.Ordinal), new SortedSet<string>(StringComparer.Ordinal));
        var floats = a.HasFloat || b.HasFloat;
        var compared = false;
        for (var k = 0; k < Points; k++)
        {
            var (x, y) = (Evaluate(a, k, atomsA), Evaluate(b, k, atomsB));
            if (k == 0 && floats && !atomsA.SetEquals(atomsB))
            {
                return false;
            }
            if (x.Exact is { } ex && y.Exact is { } ey)
            {
                if (ex != ey)
                {
                    return false;
                }
                compared = true;
            }
            else if (double.IsNaN(x.Approx) != double.IsNaN(y.Approx) || (!double.IsNaN(x.Approx) && !Close(x.Approx, y.Approx)))
            {
                return false;
            }
            else
            {
                compared |= double.IsFinite(x.Approx);
            }
            if (k == 0 && !atomsA.Concat(atomsB).Any(atom => atom.StartsWith('$') || atom == "pi"))
            {
                break; // constant: one point decides
            }
        }
        return compared;
    }

    private static bool Close(double u, double v) =>
        u == v || Math.Abs(u - v) <= 1e-10 * Math.Max(1.0, Math.Max(Math.Abs(u), Math.Abs(v)));

    private readonly record struct Value(ExactNumber? Exact, double Approx)
    {
        public static Value Of(ExactNumber? e) => new(e, e?.Value ?? double.NaN);
    }

    // Atoms: "$x" for a symbol, "pi", "sqrt<square-free part>", "irr" (another irrational power), "log".
    private static Value Evaluate(SympyNode n, int point, ISet<string> atoms)
    {
        switch (n.Op)
        {
            case 'n':
                return Value.Of(n.Exact);
            case 's':
                atoms.Add("$" + n.Name);
                return Value.Of(Sample(n.Name!, point));
            case 'p':
                atoms.Add("pi");
                // 3.14159265 + 1/(7919 + point): a rational near π with a denominator no decimal has.
                return Value.Of(ExactNumber.Create(new BigInteger(314159265) * (7919 + point) + 100000000, new BigInteger(100000000) * (7919 + point)));
            case '~':
                var o = Evaluate(n.Left!, point, atoms);
                return o.Exact is { } e ? Value.Of(new ExactNumber(-e.Numerator, e.Denominator)) : new Value(null, -o.Approx);
            case '!':
                return Factorial(Evaluate(n.Left!, point, atoms), atoms);
            case 'f':
                return Function(n.Name!, Evaluate(n.Left!, point, atoms), atoms);
        }
        var (l, r) = (Evaluate(n.Left!, point, atoms), Evaluate(n.Right!, point, atoms));
        if (l.Exact is { } a && r.Exact is { } b)
        {
            var exact = n.Op switch
            {
                '+' => a + b,
                '-' => a - b,
                '*' => a * b,
                '/' => a / b,
                _ => Power(a, b),
            };
            if (exact is not null || n.Op == '/')
            {
                return Value.Of(exact);
            }
            atoms.Add("irr");
        }
        return new Value(null, n.Op switch
        {
            '+' => l.Approx + r.Approx,
            '-' => l.Approx - r.Approx,
            '*' => l.Approx * r.Approx,
            '/' => r.Approx == 0 ? double.NaN : l.Approx / r.Approx,
            _ => Math.Pow(l.Approx, r.Approx),
        });
    }

    // Integer powers and exact roots ((4/9)^(1/2) = 2/3) stay exact; anything else is irrational.
    private static ExactNumber? Power(ExactNumber a, ExactNumber b)
    {
        if (b.Denominator > 16 || BigInteger.Abs(b.Numerator) > 4096)
        {
            return null;
        }
        var root = b.IsInteger ? a : a.Root((int)b.Denominator);
        return root?.Pow((int)b.Numerator);
    }

    private static Value Function(string name, Value x, ISet<string> atoms)
    {
        if (name == "sqrt" && x.Exact is { } e)
        {
            if (e.Root(2) is { } r)
            {
                return Value.Of(r);
            }
            atoms.Add(e.Numerator.Sign > 0 ? "sqrt" + SquareFree(e.Numerator * e.Denominator) : "irr");
            return new Value(null, Math.Sqrt(e.Value));
        }
        atoms.Add(name == "sqrt" ? "irr" : "log");
        return new Value(null, name == "sqrt" ? Math.Sqrt(x.Approx) : Math.Log(x.Approx));
    }

    private static Value Factorial(Value x, ISet<string> atoms)
    {
        if (x.Exact is { IsInteger: true } e && e.Numerator.Sign >= 0 && e.Numerator <= 200)
        {
            var f = BigInteger.One;
            for (var i = 2; i <= (int)e.Numerator; i++)
            {
                f *= i;
            }
            return Value.Of(ExactNumber.Create(f, BigInteger.One));
        }
        atoms.Add("irr");
        return new Value(null, double.NaN);
    }

    // The square-free part of n (trial division up to 10^4; beyond that the rest is kept as is).
    private static BigInteger SquareFree(BigInteger n)
    {
        var result = BigInteger.One;
        for (var p = 2; p <= 10_000 && !n.IsOne; p++)
        {
            var count = 0;
            while ((n % p).IsZero)
            {
                n /= p;
                count++;
            }
            if (count % 2 == 1)
            {
                result *= p;
            }
        }
        return result * n;
    }

    // A fixed rational of either sign per (symbol, point), e.g. 47/13 or -29/11, so both sides see the same values.
    private static ExactNumber? Sample(string name, int point)
    {
        var h = 2166136261u;
        foreach (var c in name)
        {
            h = (h ^ c) * 16777619u;
        }
        h ^= unchecked((uint)(point + 1) * 2654435761u);
        h ^= h >> 15;
        var numerator = 7 + (int)(h % 61);
        var denominator = 11 + (int)((h >> 8) % 7);
        return ExactNumber.Create(point % 2 == 1 ? -numerator : numerator, denominator);
    }
}
