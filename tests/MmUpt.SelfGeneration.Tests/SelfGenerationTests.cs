using MmUpt.Data;
using MmUpt.SelfGeneration;
using MmUpt.Testing;
namespace MmUpt.SelfGeneration.Tests;

public sealed class SelfGenerationTests
{
    private static readonly DataRecord Seed = new("geo-1", "<image>How many red shapes are there?", "42", [new ImageData(TestImages.Png(9))]);
    private static readonly QuestionFilterOptions Bounds = new() { MinChars = 8, MaxChars = 60 };
    private static readonly HashSet<string> None = [];

    [Theory]
    [InlineData("Sure! New question: How many circles are blue?\nAnswer: 2", "How many circles are blue?")]
    [InlineData("  \"What colour is the square?\"  ", "What colour is the square?")]
    [InlineData("new question: first\nNew Question: What is the\nlargest shape?\n\nSolution: the square", "What is the largest shape?")]
    [InlineData("New question:", "")]
    public void Extracts_the_question_after_the_last_marker(string response, string expected)
    {
        Assert.Equal(expected, QuestionExtractor.Extract(response));
    }

    [Theory]
    [InlineData("What is shown <|image_pad|> here?", FilterReason.Markup)]
    [InlineData("Count the <image> items please", FilterReason.Markup)]
    [InlineData("How many \u0011 shapes are there?", FilterReason.Garbled)]
    [InlineData("How many shapes\uFFFD are there?", FilterReason.Garbled)]
    [InlineData("   ", FilterReason.Empty)]
    [InlineData("Why?", FilterReason.Empty)]
    [InlineData("12 + 30 = ??", FilterReason.Empty)]
    [InlineData("What is the area of the shape if each side is doubled and then the result is halved again?", FilterReason.TooLong)]
    [InlineData("What is x? \\boxed{3}", FilterReason.RevealsAnswer)]
    [InlineData("What is x? The answer is 3", FilterReason.RevealsAnswer)]
    [InlineData("Is the total 42 or more?", FilterReason.RevealsAnswer)]
    [InlineData("how many RED shapes are there", FilterReason.Duplicate)]
    [InlineData("How many shapes are there in total?", FilterReason.Accepted)]
    [InlineData("Are there 420 dots?", FilterReason.Accepted)]
    public void Classifies_in_context_questions(string question, FilterReason expected)
    {
        Assert.Equal(expected, QuestionFilter.Classify(question, Seed.Problem, Seed.Answer, None, Bounds));
    }

    [Fact]
    public void The_seed_answer_only_counts_when_the_model_saw_it_and_the_seed_question_lacked_it()
    {
        Assert.Equal(FilterReason.Accepted, QuestionFilter.Classify("Is the total 42 or more?", Seed.Problem, null, None, Bounds));
        Assert.Equal(FilterReason.Accepted, QuestionFilter.Classify("Is 42 bigger than y?", "<image>Is 42 smaller than x?", "42", None, Bounds));
    }

    [Fact]
    public void A_filter_remembers_accepted_questions_and_counts_verdicts()
    {
        var filter = new QuestionFilter(Bounds);

        var verdicts = new[] { "Which shape is largest?", "which shape is LARGEST", "", "Which shape is smallest?" }
            .Select(q => filter.Check(q, Seed, SynthStrategy.Direct)).ToList();

        Assert.Equal([FilterReason.Accepted, FilterReason.Duplicate, FilterReason.Empty, FilterReason.Accepted], verdicts);
        Assert.Equal(2, filter.Counts[FilterReason.Accepted]);
        Assert.Equal(1, filter.Counts[FilterReason.Duplicate]);
    }

    [Fact]
    public void Prompts_quote_the_seed_for_in_context_and_only_the_image_for_direct()
    {
        var template = new PromptTemplate();

        var inContext = SynthPrompts.Build(SynthStrategy.InContext, Seed, template);
        var direct = SynthPrompts.Build(SynthStrategy.Direct, Seed, template);

        Assert.Contains("<|im_start|>user\n<|vision_start|><|image_pad|><|vision_end|>Here is a question about the image and its answer.\n" +
                        "Question: How many red shapes are there?\nAnswer: 42\nWrite one new question", inContext.Text);
        Assert.EndsWith("after \"New question:\".<|im_end|>\n<|im_start|>assistant\n", inContext.Text);
        Assert.DoesNotContain("42", direct.Text);
        Assert.DoesNotContain("red", direct.Text);
        Assert.Null(direct.ReferenceAnswer);
        Assert.Equal(Seed.Images, direct.Images);
        Assert.Throws<ArgumentException>(() => SynthPrompts.Build(SynthStrategy.InContext, Seed with { Answer = null }, template));
    }

    [Fact]
    public async Task Accepted_questions_become_unlabelled_rows_the_readers_accept()
    {
        using var dir = new TempDir();
        var row = SynthPrompts.ToRecord(SynthStrategy.InContext, Seed, "How many shapes are blue?", 0);
        await using (var writer = new JsonlDatasetWriter(dir.File("synth.jsonl")))
        {
            await writer.WriteAsync(row);
        }

        var read = await Datasets.ReadAll(dir.File("synth.jsonl"));

        Assert.Equal(("geo-1~ic0", "<image>How many shapes are blue?", (string?)null), (read[0].Id, read[0].Problem, read[0].Answer));
        Assert.Equal(Seed.Images[0].Bytes, read[0].Images[0].Bytes);
    }
}
