using System.Numerics;

namespace MmUpt.Grading.Faithful;

/// <summary>
/// A rational number kept exactly (sympy's Integer and Rational), or null where the value is irrational, symbolic or
/// too large to keep (numerator or denominator over <see cref="MaxBits"/> bits): then only its double is known.
/// A Float literal enters as its exact decimal value (see <see cref="SympyEquality"/>).
/// </summary>
internal readonly record struct ExactNumber(BigInteger Numerator, BigInteger Denominator)
{
    public const int MaxBits = 2048;

    public double Value => (double)Numerator / (double)Denominator is var v && double.IsFinite(v)
        ? v
        : Math.Exp(BigInteger.Log(BigInteger.Abs(Numerator)) - BigInteger.Log(Denominator)) * Numerator.Sign;

    public bool IsInteger => Denominator.IsOne;

    public static ExactNumber? Create(BigInteger n, BigInteger d)
    {
        if (d.IsZero)
        {
            return null;
        }
        if (d.Sign < 0)
        {
            (n, d) = (-n, -d);
        }
        var g = BigInteger.GreatestCommonDivisor(n, d);
        if (!g.IsOne && !g.IsZero)
        {
            (n, d) = (n / g, d / g);
        }
        return n.GetBitLength() > MaxBits || d.GetBitLength() > MaxBits ? null : new ExactNumber(n, d);
    }

    /// <summary>The exact value of a decimal literal: "12", "1.25", ".5", "2e-3", "1.5E+2".</summary>
    public static ExactNumber? ParseDecimal(string text)
    {
        var e = text.IndexOfAny(['e', 'E']);
        var exponent = e < 0 ? 0 : int.Parse(text.AsSpan(e + 1), System.Globalization.CultureInfo.InvariantCulture);
        var mantissa = e < 0 ? text : text[..e];
        var point = mantissa.IndexOf('.');
        if (point >= 0)
        {
            exponent -= mantissa.Length - point - 1;
            mantissa = mantissa.Remove(point, 1);
        }
        if (Math.Abs(exponent) > 600 || mantissa.Length == 0)
        {
            return null;
        }
        var n = BigInteger.Parse(mantissa, System.Globalization.CultureInfo.InvariantCulture);
        var scale = BigInteger.Pow(10, Math.Abs(exponent));
        return exponent >= 0 ? Create(n * scale, BigInteger.One) : Create(n, scale);
    }

    public static ExactNumber? operator +(ExactNumber a, ExactNumber b) =>
        Create(a.Numerator * b.Denominator + b.Numerator * a.Denominator, a.Denominator * b.Denominator);

    public static ExactNumber? operator -(ExactNumber a, ExactNumber b) =>
        Create(a.Numerator * b.Denominator - b.Numerator * a.Denominator, a.Denominator * b.Denominator);

    public static ExactNumber? operator *(ExactNumber a, ExactNumber b) =>
        Create(a.Numerator * b.Numerator, a.Denominator * b.Denominator);

    public static ExactNumber? operator /(ExactNumber a, ExactNumber b) =>
        Create(a.Numerator * b.Denominator, a.Denominator * b.Numerator);

    /// <summary>An integer power, when the result stays within <see cref="MaxBits"/>.</summary>
    public ExactNumber? Pow(int k)
    {
        var bits = Math.Max(Numerator.GetBitLength(), Denominator.GetBitLength());
        if (Math.Abs((long)k) * bits > MaxBits || (k < 0 && Numerator.IsZero))
        {
            return null;
        }
        var (n, d) = (BigInteger.Pow(Numerator, Math.Abs(k)), BigInteger.Pow(Denominator, Math.Abs(k)));
        return k >= 0 ? Create(n, d) : Create(d, n);
    }

    /// <summary>The exact q-th root when numerator and denominator are perfect q-th powers (q ≤ 16).</summary>
    public ExactNumber? Root(int q)
    {
        if (q is < 1 or > 16 || (Numerator.Sign < 0 && q % 2 == 0))
        {
            return null;
        }
        return IntegerRoot(BigInteger.Abs(Numerator), q) is { } n && IntegerRoot(Denominator, q) is { } d
            ? Create(Numerator.Sign < 0 ? -n : n, d)
            : null;
    }

    private static BigInteger? IntegerRoot(BigInteger x, int q)
    {
        if (x.IsZero || x.IsOne)
        {
            return x;
        }
        var guess = new BigInteger(Math.Round(Math.Exp(BigInteger.Log(x) / q)));
        for (var delta = -1; delta <= 1; delta++)
        {
            var r = guess + delta;
            if (r.Sign > 0 && BigInteger.Pow(r, q) == x)
            {
                return r;
            }
        }
        return null;
    }
}
