using MmUpt.Grading.Equivalence;
using MmUpt.Grading.Extraction;
using MmUpt.Grading.Voting;

namespace MmUpt.Grading.Tests;

/// <summary>
/// Inputs meant to hang or blow up a grader. Each must return; the guard is generous (a minute) and only catches a hang,
/// it measures nothing.
/// </summary>
public sealed class AdversarialInputTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(1);

    // None of these is graded equivalent: too big, too deep, non-finite, or really different. The bounds make some
    // true identities (a 100-deep parenthesis) incomparable, which is the price of never hanging.
    public static TheoryData<string, string> Pairs() => new()
    {
        { "10^10^10", "1" },
        { "10^10^10^10^10", "10^10^10^10^9" },
        { "2^2^2^2^2^2^2^2^2^2", "x" },
        { new string('(', 100) + "x" + new string(')', 100), "x" },
        { new string('(', 500_000) + "1" + new string(')', 500_000), "1" },
        { new string('{', 900) + "2", "1" },
        { string.Concat(Enumerable.Repeat(@"\frac{", 160)) + "1" + new string('}', 160), "1" },
        { string.Concat(Enumerable.Repeat(@"\sqrt[", 150)) + "2", "2" },
        { string.Concat(Enumerable.Repeat("x^", 400)) + "x", "x" },
        { string.Concat(Enumerable.Repeat("1+", 499)) + "1", "500" },
        { new string('9', 1_000_000), new string('9', 999_999) + "8" },
        { new string('9', 999), new string('9', 998) + "8" },
        { string.Concat(Enumerable.Repeat(@"\left(", 150)), "1" },
        { "1/" + new string('0', 900), "0" },
        { string.Concat(Enumerable.Repeat("1,000,", 150)), "1" },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task Grading_returns_in_both_modes(string candidate, string reference)
    {
        var faithful = Task.Run(() => MathAnswerGrader.Faithful.Equivalent(candidate, reference));
        var robust = Task.Run(() => MathAnswerGrader.Robust.Equivalent(reference, candidate));
        var results = await Task.WhenAll(faithful, robust).WaitAsync(Guard);
        Assert.Equal([false, false], results);
    }

    [Fact]
    public async Task Huge_answers_are_compared_as_strings()
    {
        var a = new string('7', 1 << 20);
        var result = await Task.Run(() => (MathAnswerGrader.Robust.Equivalent(a, a), MathAnswerGrader.Robust.Equivalent(a, a + "1"))).WaitAsync(Guard);
        Assert.Equal((true, false), result);
    }

    [Fact]
    public async Task Extraction_of_hostile_responses_returns()
    {
        string[] responses =
        [
            string.Concat(Enumerable.Repeat(@"\boxed{", 150_000)),
            @"\boxed{" + new string('{', 1_000_000),
            new string('}', 1_000_000) + @"\boxed{1}",
            string.Concat(Enumerable.Repeat(@"\fbox{\{", 100_000)),
            string.Concat(Enumerable.Repeat("the answer is ", 80_000)),
        ];
        var extractor = new BoxedAnswerExtractor(ExtractionOptions.Robust with { AnswerPhraseFallback = true, LastNumberFallback = true });
        var answers = await Task.Run(() => responses.Select(r => (extractor.Extract(r), BoxedAnswerExtractor.Faithful.Extract(r))).ToList()).WaitAsync(Guard);
        Assert.Equal(new ExtractedAnswer("1", ExtractionSource.Box), answers[2].Item1);
        Assert.False(answers[0].Item2.Found);
    }

    [Fact]
    public async Task Voting_a_group_of_megabyte_responses_returns()
    {
        var responses = Enumerable.Range(0, 10).Select(i => new string('x', 1 << 20) + $@"\boxed{{{new string('1', 1 << 19)}{i % 2}}}").ToList();
        var faithful = await Task.Run(() => VoteAggregators.Create(VoteOptions.Faithful).Vote(new VoteInput(responses, Reference: "1"))).WaitAsync(Guard);
        Assert.Equal(0.5, faithful.MajorityRatio, 12);
        Assert.Equal([1, 0, 1, 0, 1, 0, 1, 0, 1, 0], Groups.Rewards(faithful));
        // The robust extractor caps a box at 10,000 characters: a 512 KiB box is no answer.
        var robust = await Task.Run(() => VoteAggregators.Create(VoteOptions.Robust).Vote(new VoteInput(responses, Reference: "1"))).WaitAsync(Guard);
        Assert.Equal(1, robust.AbstainRate);
    }
}
