namespace MmUpt.Grading.Bench;

/// <summary>The inputs measured: short final answers as models write them, and groups of 10 chain-of-thought responses.</summary>
internal static class Workloads
{
    /// <summary>Simple answer pairs, half equivalent: integers, fractions, decimals, percents, units, thousands, x =.</summary>
    public static readonly (string Candidate, string Reference)[] SimplePairs =
    [
        ("42", "42"), ("41", "42"), (@"\frac{1}{2}", "0.5"), ("2.50", "2.5"), ("3", "4"), ("x=5", "5"),
        ("1,000", "1000"), (@"50\%", "50"), (@"30^\circ", "30"), ("7", "-7"), (@"\dfrac{3}{4}", "0.75"), ("12 cm", "12"),
        (@"\$5", "5"), ("B", "C"), ("0.25", "1/4"), ("6", "6.0"),
    ];

    // Declared before Responses: static fields initialize in text order.
    private static readonly string Reasoning = string.Concat(Enumerable.Repeat("We count the red circles and add the digits step by step. ", 10));

    /// <summary>Whole responses (~600 characters of reasoning) ending in a box, inline math, or "the answer is" phrase.</summary>
    public static readonly string[] Responses =
    [
        Reasoning + @"So the answer is \boxed{12}.",
        Reasoning + @"Therefore $x = \frac{3}{4}$ is the solution.",
        Reasoning + "Final Answer: The final answer is 16386.16. I hope it is correct.",
        Reasoning + @"The roots are \boxed{-2} and \boxed{1}.",
        Reasoning + "I am not sure.",
    ];

    /// <summary>Groups of 10 responses: ~600 characters of reasoning, then a boxed answer; mixed agreement and spellings.</summary>
    public static List<List<string>> Groups(int count, int seed)
    {
        var random = new Random(seed);
        string[] answers = ["12", "12.0", "13", @"\frac{1}{2}", "0.5", "x=12", @"12\text{ cm}", "7", @"\sqrt{2}"];
        var reasoning = string.Concat(Enumerable.Repeat("We count the red circles and add the digits step by step. ", 10));
        var groups = new List<List<string>>(count);
        for (var g = 0; g < count; g++)
        {
            var group = new List<string>(10);
            for (var i = 0; i < 10; i++)
            {
                group.Add(random.Next(10) == 0
                    ? reasoning + "I am not sure."
                    : $"{reasoning}So the answer is \\boxed{{{answers[random.Next(answers.Length)]}}}.");
            }
            groups.Add(group);
        }
        return groups;
    }
}
