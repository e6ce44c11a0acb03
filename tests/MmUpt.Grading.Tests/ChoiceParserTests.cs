using MmUpt.Grading.Equivalence;

namespace MmUpt.Grading.Tests;

public sealed class ChoiceParserTests
{
    [Fact]
    public void Reads_options_on_lines()
    {
        var set = ChoiceSet.Parse("Find x.\nChoices:\nA. 3\nB. 5\nC. 12 cm\nAnswer with a letter.");
        Assert.NotNull(set);
        Assert.Equal(["3", "5", "12 cm"], set.Options);
    }

    [Fact]
    public void Reads_options_in_one_line()
    {
        var set = ChoiceSet.Parse("What is x? (A) 2 (B) 4 (C) 8 (D) 16");
        Assert.NotNull(set);
        Assert.Equal(["2", "4", "8", "16"], set.Options);
    }

    [Fact]
    public void Prompts_without_options_give_null()
    {
        Assert.Null(ChoiceSet.Parse("Compute 2 + 2. Put the answer in a box."));
        Assert.Null(ChoiceSet.Parse("A. only one option"));
        Assert.Null(ChoiceSet.Parse(""));
    }

    [Fact]
    public void Out_of_order_letters_are_text()
    {
        var set = ChoiceSet.Parse("A: 1\nB: 2\nD: 3");
        Assert.NotNull(set);
        Assert.Equal(["1", "2"], set.Options);
    }
}
