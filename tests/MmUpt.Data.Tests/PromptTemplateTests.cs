using MmUpt.Testing;
namespace MmUpt.Data.Tests;

public sealed class PromptTemplateTests
{
    private static readonly ImageData Image = new(TestImages.Png(1));

    [Fact]
    public void Default_prompt_is_the_qwen_chat_with_the_mmupt_instruction()
    {
        var record = new DataRecord("g1", "<image>Find x. Choices: A. 1 B. 2", "B", [Image]);

        var prompt = new PromptTemplate().Render(record);

        Assert.Equal(
            "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n" +
            "<|im_start|>user\n<|vision_start|><|image_pad|><|vision_end|>Find x. Choices: A. 1 B. 2 " +
            "Please reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n" +
            "<|im_start|>assistant\n",
            prompt.Text);
        Assert.Equal("g1", prompt.Id);
        Assert.Equal("B", prompt.ReferenceAnswer);
        Assert.Same(Image, prompt.Images[0]);
    }

    [Fact]
    public void Placeholders_are_replaced_in_order_and_a_problem_without_them_gets_the_images_first()
    {
        var template = new PromptTemplate(new PromptTemplateOptions { Instruction = "" });
        var second = new ImageData(TestImages.Png(2));

        var inline = template.Render(new DataRecord("a", "Compare <image> with <image>.", null, [Image, second]));
        var none = template.Render(new DataRecord("b", "What is shown?", null, [Image, second]));

        const string v = "<|vision_start|><|image_pad|><|vision_end|>";
        Assert.Contains($"<|im_start|>user\nCompare {v} with {v}.<|im_end|>\n", inline.Text);
        Assert.Contains($"<|im_start|>user\n{v}{v}What is shown?<|im_end|>\n", none.Text);
        Assert.Equal([Image, second], inline.Images);
    }

    [Fact]
    public void System_instruction_and_separator_are_options()
    {
        var template = new PromptTemplate(new PromptTemplateOptions { System = "Be brief.", Instruction = "Answer in \\boxed{}.", Separator = "\n" });

        var prompt = template.Render(new DataRecord("c", "<image>2+2?", "4", [Image]));

        Assert.Equal(
            "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n<|vision_start|><|image_pad|><|vision_end|>2+2?\n" +
            "Answer in \\boxed{}.<|im_end|>\n<|im_start|>assistant\n",
            prompt.Text);
    }

    [Fact]
    public void A_placeholder_count_that_does_not_match_the_images_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            new PromptTemplate().Render(new DataRecord("d", "<image> and <image>", null, [Image])));

        Assert.Contains("2 <image> placeholder(s) but 1 image(s)", ex.Message);
    }
}
