namespace MmUpt.Presets;

/// <summary>
/// Text the embedded tokenizer is trained on: the chat template's fixed text, the prompt and answer phrasing of the
/// synthetic visual tasks (counting coloured shapes, reading and adding digits), and LaTeX basics around <c>\boxed{}</c>.
/// Any text still encodes (byte fallback is built in); this only decides which words become single tokens.
/// </summary>
public static class SeedCorpus
{
    public static readonly string[] Colours =
        ["red", "green", "blue", "yellow", "orange", "purple", "black", "white", "gray", "pink", "brown", "cyan"];

    public static readonly string[] Shapes =
        ["circle", "square", "triangle", "rectangle", "star", "hexagon", "diamond", "dot", "digit", "number", "shape", "object"];

    private static readonly string[] Sentences =
    [
        "You are a helpful assistant.",
        "How many {c} {s}s are there in the image?",
        "Count the {c} {s}s in the picture.",
        "What is the sum of the digits shown in the image?",
        "Read the digits in the image and add them.",
        "Which colour is the largest {s}?",
        "What colour is the {s} on the left?",
        "Is there a {c} {s} above the {s}?",
        "Please reason step by step, and put your final answer within \\boxed{}.",
        "Think step by step and put the final answer in \\boxed{}.",
        "Let's count the {c} {s}s one by one: first, second, third.",
        "I see {n} {c} {s}s and {m} {s}s of other colours.",
        "There are {n} {c} {s}s in total, so the answer is \\boxed{{n}}.",
        "The digits are {n}, {m} and {k}. Adding them gives {n} + {m} + {k} = {t}. The answer is \\boxed{{t}}.",
        "So the sum is \\boxed{{t}}.",
        "Therefore, the final answer is \\boxed{{n}}.",
        "The question asks for the number of {s}s. The image shows {n} of them.",
        "Answer: \\boxed{{n}}",
        "We have \\frac{{n}}{{m}} + \\frac{1}{2} = \\dfrac{{t}}{2} and \\sqrt{{k}} \\times {m} \\cdot {n}.",
        "The angle is {n}^\\circ, so \\angle ABC = {t}^{\\circ} and x^2 - {m}x = {k}.",
        "\\left( {n} + {m} \\right) \\div {k} = \\text{total} \\approx {t} \\% \\pi \\leq \\geq \\neq",
        "Picture 1: the image is a {c} background with {s}s.",
        "Step 1: find the {c} {s}s. Step 2: count them. Step 3: write the answer.",
        "First, next, then, finally; because, therefore, so, hence, thus, which means that.",
        "left, right, top, bottom, middle, centre, above, below, inside, outside, large, small, big",
        "one two three four five six seven eight nine ten zero",
        "What, which, how, many, much, is, are, the, a, an, of, in, on, and, or, not, with, there, this, that.",
    ];

    /// <summary>Deterministic: every sentence with every colour/shape pair and a few numbers.</summary>
    public static IEnumerable<string> Texts()
    {
        var k = 0;
        foreach (var sentence in Sentences)
        {
            for (var ci = 0; ci < Colours.Length; ci++)
            {
                var s = Shapes[(ci + k) % Shapes.Length];
                int n = (ci * 7 + k) % 10, m = (ci * 3 + 2 * k) % 10, kk = (ci + 5 * k) % 10;
                yield return sentence.Replace("{c}", Colours[ci]).Replace("{s}", s)
                    .Replace("{n}", n.ToString(System.Globalization.CultureInfo.InvariantCulture))
                    .Replace("{m}", m.ToString(System.Globalization.CultureInfo.InvariantCulture))
                    .Replace("{k}", kk.ToString(System.Globalization.CultureInfo.InvariantCulture))
                    .Replace("{t}", (n + m + kk).ToString(System.Globalization.CultureInfo.InvariantCulture));
                k++;
            }
        }
    }
}
