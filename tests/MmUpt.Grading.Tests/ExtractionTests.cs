using MmUpt.Grading.Extraction;

namespace MmUpt.Grading.Tests;

public sealed class ExtractionTests
{
    private static string? Faithful(string s) => BoxedAnswerExtractor.Faithful.Extract(s).Text;

    private static string? Robust(string s) => BoxedAnswerExtractor.Robust.Extract(s).Text;

    [Theory]
    [InlineData(@"so the result is \boxed{5}.", "5")]
    [InlineData(@"\boxed{1} then \boxed{2}", "2")]
    [InlineData(@"\boxed{\frac{1}{2}}", @"\frac{1}{2}")]
    [InlineData(@"\boxed{ 5 }", "5")]
    [InlineData(@"\boxed{\{1,2\}}", @"\{1,2\}")]
    [InlineData(@"\boxed{x^{2}+\sqrt{y_{1}}}", @"x^{2}+\sqrt{y_{1}}")]
    public void Both_modes_read_the_last_balanced_box(string response, string expected)
    {
        Assert.Equal(expected, Faithful(response));
        Assert.Equal(expected, Robust(response));
    }

    [Fact]
    public void No_box_is_no_answer_in_both_modes()
    {
        Assert.Null(Faithful("the answer is 42"));
        Assert.Null(Robust("the answer is 42"));
    }

    [Fact]
    public void Unterminated_last_box_is_none_when_faithful_and_skipped_when_robust()
    {
        const string response = @"first \boxed{3}, but then \boxed{4";
        Assert.Null(Faithful(response));
        Assert.Equal("3", Robust(response));
    }

    [Fact]
    public void Fbox_counts_only_in_the_robust_mode()
    {
        Assert.Null(Faithful(@"\fbox{7}"));
        Assert.Equal("7", Robust(@"\fbox{7}"));
        Assert.Equal("8", Robust(@"\fbox{7} and \boxed{8}"));
        Assert.Equal("7", Robust(@"\boxed{8} and \fbox{7}"));
    }

    [Fact]
    public void Escaped_braces_are_literal_only_in_the_robust_mode()
    {
        // Faithful counts "\{" as an opening brace, so the box never closes; robust reads the literal brace.
        Assert.Null(Faithful(@"\boxed{\{}"));
        Assert.Equal(@"\{", Robust(@"\boxed{\{}"));
        // Faithful closes at the escaped brace.
        Assert.Equal(@"\", Faithful(@"\boxed{\}}"));
        Assert.Equal(@"\}", Robust(@"\boxed{\}}"));
    }

    [Fact]
    public void Empty_box_is_an_empty_answer_when_faithful_and_none_when_robust()
    {
        var faithful = BoxedAnswerExtractor.Faithful.Extract(@"\boxed{}");
        Assert.True(faithful.Found);
        Assert.Equal("", faithful.Text);
        Assert.False(BoxedAnswerExtractor.Robust.Extract(@"\boxed{ }").Found);
    }

    [Fact]
    public void Fallbacks_are_off_by_default_and_work_when_enabled()
    {
        var withFallbacks = new BoxedAnswerExtractor(ExtractionOptions.Robust with { AnswerPhraseFallback = true, LastNumberFallback = true });
        Assert.Equal(new ExtractedAnswer("42", ExtractionSource.AnswerPhrase), withFallbacks.Extract("So the answer is 42. Done"));
        Assert.Equal(new ExtractedAnswer("17", ExtractionSource.LastNumber), withFallbacks.Extract("we get 3 and then 17 apples"));
        Assert.Equal(new ExtractedAnswer("9", ExtractionSource.Box), withFallbacks.Extract(@"the answer is 8, no: \boxed{9}"));
        Assert.False(BoxedAnswerExtractor.Robust.Extract("So the answer is 42.").Found);
        Assert.False(BoxedAnswerExtractor.Faithful.Extract("we get 17").Found);
    }

    [Fact]
    public void Box_longer_than_the_robust_cap_counts_as_unterminated()
    {
        var huge = @"\boxed{1} \boxed{" + new string('9', 20_000) + "}";
        Assert.Equal("1", Robust(huge));
        Assert.Equal(new string('9', 20_000), Faithful(huge));
    }
}
