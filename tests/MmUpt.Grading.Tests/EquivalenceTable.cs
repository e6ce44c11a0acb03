namespace MmUpt.Grading.Tests;

/// <summary>
/// Hand-written pairs (positive and negative) across every form the grader handles. "Faithful" is MathRuler's own
/// grade_answer verdict (checked with scripts/grader-oracle; it never reads options); "Robust" compares values.
/// </summary>
public static class EquivalenceTable
{
    private static readonly string[] Options = ["3", "5", @"\frac{1}{2}", "12 cm"];

    public static IReadOnlyList<EquivalenceCase> Cases { get; } =
    [
        // Fractions.
        Same("frac", @"\frac{1}{2}", "1/2", true),
        Same("frac", @"\dfrac{1}{2}", @"\frac{1}{2}", true),
        Same("frac", @"\tfrac{1}{2}", "0.5", true),
        Same("frac", @"\frac12", @"\frac{1}{2}", true),
        Same("frac", "0.5", "1/2", true),
        Same("frac", @"\frac{3}{4}", "0.75", true),
        Same("frac", @"\frac{1}{3}", "0.333", false),
        Differs("frac", @"\frac{1}{3}", "0.3333333333333333", faithful: false, robust: true),
        Same("frac", @"-\frac{1}{2}", "-0.5", true),
        Same("frac", @"\frac{-1}{2}", @"-\frac{1}{2}", true),
        Same("frac", @"\frac{a}{b}", "a/b", true),
        Differs("frac", @"\frac{x+1}{2}", "(x+1)/2", faithful: false, robust: true),
        Same("frac", @"\frac{1}{2}x", "x/2", true),
        Same("frac", @"3\frac{1}{2}", "3.5", true),
        Same("frac", @"\frac{7}{2}", @"3\frac{1}{2}", true),
        Same("frac", @"\frac{2}{3}", @"\frac{3}{2}", false),
        Same("frac", "1/4", "0.2", false),
        Same("frac", @"\frac{1}{2}", @"\frac{1}{4}", false),
        Differs("frac", "2/4", "1/2", faithful: false, robust: true),
        Differs("frac", @"\frac{2}{4}", @"\frac{1}{2}", faithful: false, robust: true),
        Differs("frac", "1/3", "2/6", faithful: false, robust: true),
        Differs("frac", @"\frac{4}{2}", "2", faithful: false, robust: true),

        // Decimals and trailing zeros.
        Same("decimal", "5.0", "5", true),
        Same("decimal", "5.00", "5", true),
        Same("decimal", "0.50", "0.5", true),
        Same("decimal", ".5", "0.5", true),
        Same("decimal", "2.5", "2.50", true),
        Same("decimal", "3.14", @"\pi", false),
        Same("decimal", "3.1", "3.14", false),
        Same("decimal", "1e3", "1000", true),
        Same("decimal", "0.1", "1/10", true),
        Same("decimal", "-0", "0", true),
        Same("decimal", "007", "7", true),
        Same("decimal", "5", "6", false),
        Same("decimal", "2", "-2", false),
        Same("decimal", "1.5", "3/2", true),
        Same("decimal", "5.", "5", true),
        Same("decimal", "+5", "5", true),
        Same("decimal", "0.999", "1", false),
        Same("decimal", "12345678901234567890", "12345678901234567891", false),
        Same("decimal", "12345678901234567890", "12345678901234567890.0", true),

        // Percent.
        Same("percent", @"50\%", "50", true),
        Same("percent", "50%", "50", true),
        Same("percent", @"12.5\%", "12.5", true),
        Same("percent", @"50\%", "0.5", false),
        Same("percent", "25%", "30%", false),
        Differs("percent", "5 percent", @"5\%", faithful: false, robust: true),
        Same("percent", @"\frac{1}{2}\%", "0.5", true),

        // Thousands separators.
        Same("thousands", "1,000", "1000", true),
        Same("thousands", "1{,}000", "1000", true),
        Same("thousands", "1,000,000", "1000000", true),
        Differs("thousands", @"1\,000", "1000", faithful: false, robust: true),
        Same("thousands", @"1,\!000", "1000", true),
        Same("thousands", "12,345.5", "12345.5", true),
        Same("thousands", "1,2", "12", false),
        Same("thousands", "1,000", "100", false),

        // \left / \right, tuples, intervals.
        Same("tuple", @"\left(1,2\right)", "(1,2)", true),
        Same("tuple", "(1, 2)", "(1,2)", true),
        Same("tuple", "(1,2)", "(2,1)", false),
        Same("interval", "[1,2)", "(1,2)", false),
        Same("interval", @"(0,\infty)", @"(0, \infty)", true),
        Same("interval", @"\left[ -1, 3 \right]", "[-1,3]", true),
        Same("tuple", @"(\frac{1}{2}, 3)", "(0.5, 3)", true),
        Same("tuple", "(1,2,3)", "(1,2)", false),
        Same("interval", @"(-\infty, 5]", @"(-\infty,5]", true),
        Same("interval", "(1,2]", "(1,2)", false),
        Same("tuple", "(3, 4)", "(3,5)", false),
        Same("tuple", @"\left( \frac{1}{2} \right)", @"\frac{1}{2}", true),
        Same("tuple", "(2x, 3)", "(x+x, 3)", true),
        Same("set", @"\{1, 2\}", @"\{1,2\}", true),

        // \text{} and units.
        Same("units", @"\text{5 cm}", "5", true),
        Same("units", @"5\text{ cm}", "5", true),
        Same("units", "5 cm^2", "5", true),
        Same("units", "10 meters", "10", true),
        Same("units", "3 hours", "3", true),
        Same("units", @"\text{red}", "red", true),
        Same("units", "Red", "red", true),
        Same("units", "red", "blue", false),
        Same("units", "12 inches", "12", true),
        Same("units", "5 feet", "5", true),
        Differs("units", "2 units", "2", faithful: false, robust: true),
        Same("units", "7 days", "7", true),
        Same("units", "4 cm", "5 cm", false),
        Same("units", @"\mathbf{5}", "5", true),
        Same("units", @"\text{diameter}", "diameter", true),
        Same("units", "3 minutes", "180", false),

        // Degrees.
        Same("degrees", @"30^\circ", "30", true),
        Same("degrees", @"30^{\circ}", "30", true),
        Differs("degrees", "30°", "30", faithful: false, robust: true),
        Same("degrees", "30 degrees", "30", true),
        Same("degrees", @"45^\circ", @"30^\circ", false),
        Differs("degrees", @"90^{\circ}", "90°", faithful: false, robust: true),
        Same("degrees", @"60^\circ", @"\frac{\pi}{3}", false),

        // Dollars.
        Same("dollars", @"\$5", "5", true),
        Same("dollars", "$5.00", "5", true),
        Same("dollars", @"\$1,000", "1000", true),
        Same("dollars", @"\$4.50", "4.5", true),
        Differs("dollars", "5 dollars", "5", faithful: false, robust: true),
        Same("dollars", @"\$5", "6", false),

        // Leading "x =".
        Same("equation", "x=5", "5", true),
        Same("equation", "x = 5", "5", true),
        Same("equation", "y=3", "3", true),
        Same("equation", "x=5", "6", false),
        Same("equation", @"k = \frac{1}{2}", "0.5", true),
        Differs("equation", "area = 5", "5", faithful: false, robust: true), // a named left side gives the value, as Math-Verify
        Same("equation", "y = 2x + 1", "2x+1", true),
        Differs("equation", "x+y=1", "y+x=1", faithful: false, robust: true), // the same equation

        // Square roots.
        Same("sqrt", @"\sqrt{2}", @"\sqrt2", true),
        Same("sqrt", @"2\sqrt{2}", @"\sqrt{8}", true),
        Same("sqrt", @"\sqrt{2}/2", @"\frac{\sqrt{2}}{2}", true),
        Same("sqrt", @"\frac{1}{\sqrt{2}}", @"\frac{\sqrt{2}}{2}", true),
        Same("sqrt", @"\sqrt{3}", "1.732", false),
        Differs("sqrt", @"\sqrt[3]{8}", "2", faithful: false, robust: true),
        Differs("sqrt", @"\sqrt{4}", "2", faithful: false, robust: true),
        Same("sqrt", @"3\sqrt{3}", @"\sqrt{27}", true),
        Same("sqrt", @"\sqrt{2}", @"\sqrt{3}", false),
        Same("sqrt", @"\sqrt{12}", @"2\sqrt{3}", true),

        // Pi.
        Differs("pi", @"2\pi", "2π", faithful: false, robust: true),
        Same("pi", @"\pi/2", @"\frac{\pi}{2}", true),
        Same("pi", @"\frac{\pi}{3}", "60", false),
        Same("pi", @"4\pi", "12.566", false),
        Differs("pi", @"\pi r^2", @"r^2\pi", faithful: false, robust: true),
        Same("pi", @"2\pi r", @"2 \pi r", true),
        Same("pi", @"\pi", @"2\pi", false),

        // Algebra by sampling.
        Same("algebra", "x^2+2x+1", "(x+1)^2", true),
        Same("algebra", "2x+3", "3+2x", true),
        Same("algebra", "x^2-1", "(x-1)(x+1)", true),
        Same("algebra", "2(x+1)", "2x+2", true),
        Same("algebra", "x+y", "y+x", true),
        Same("algebra", "xy", "yx", true),
        Same("algebra", "x^2", "2x", false),
        Same("algebra", "a+b", "a-b", false),
        Same("algebra", @"\frac{x}{2}", "0.5x", true),
        Same("algebra", "x^3", "x*x*x", true),
        Differs("algebra", @"\frac{x^2-1}{x-1}", "x+1", faithful: false, robust: true),
        Same("algebra", "(x+1)^2", "x^2+1", false),
        Same("algebra", "3x", "3y", false),
        Same("algebra", @"\frac{1}{x}", "x^{-1}", true),
        Same("algebra", "e^{x}", "e^x", true),
        Same("algebra", "abc", "cba", false),
        Same("algebra", @"x \cdot y", "xy", true),
        Differs("algebra", @"2 \times 3", "6", faithful: false, robust: true),
        Differs("algebra", "2^{10}", "1024", faithful: false, robust: true),
        Differs("algebra", "2 million", "2000000", faithful: false, robust: true),
        Differs("algebra", @"1.5 \times 10^{3}", "1500", faithful: false, robust: true),
        Differs("algebra", "2^3^2", "512", faithful: false, robust: true),
        Differs("algebra", "2^3^2", "64^{1.5}", faithful: false, robust: true),
        Same("algebra", "1/2x", "x/2", true),
        Same("algebra", "-x^2", "(-x)^2", false),

        // Multiple choice with the options given.
        new("choice", "B", "5", Faithful: false, Robust: true, Options),
        Same("choice", "(B)", "B", true, Options),
        Same("choice", "B", "A", false, Options),
        new("choice", "5", "B", Faithful: false, Robust: true, Options),
        new("choice", "0.5", "C", Faithful: false, Robust: true, Options),
        new("choice", "C", @"\frac{1}{2}", Faithful: false, Robust: true, Options),
        new("choice", "12", "D", Faithful: false, Robust: true, Options),
        new("choice", "(D) 12 cm", "D", Faithful: false, Robust: true, Options),
        new("choice", "B.", "5", Faithful: false, Robust: true, Options),
        Same("choice", "A", "5", false, Options),
        Same("choice", "7", "A", false, Options),
        Same("choice", @"\text{B}", "B", true, Options),
        Same("choice", "B", "5", false),

        // Signs, infinity, sentinels, empties.
        Same("misc", "-5", "- 5", true),
        Same("misc", "", "5", false),
        Same("misc", "5", "", false),
        Same("misc", "None", "None", true),
        Same("misc", "none", "None", true),
        Same("misc", @"\infty", @"\infty", true),
        Same("misc", @"\infty", @"-\infty", false),
        Same("misc", "10^10^10", "10^10^10", true),
        Same("misc", "10^10^10", "10^{10^{10}}", true),
        Same("misc", "10^10^10", "10^{10}", false),
        Same("misc", "10^10^10", "10^10^11", false),
        Same("misc", "10^10^10", "1", false),
        Same("misc", "1/0", "2/0", false),
        Same("misc", @"\sqrt{-1}", @"\sqrt{-1}", true),
        Same("misc", @"\sqrt{-1}", @"\sqrt{-4}", false),
    ];

    private static EquivalenceCase Same(string form, string candidate, string reference, bool expected, string[]? choices = null) =>
        new(form, candidate, reference, expected, expected, choices);

    private static EquivalenceCase Differs(string form, string candidate, string reference, bool faithful, bool robust) =>
        new(form, candidate, reference, faithful, robust);
}
