using MmUpt.Processing.Tokenization;

namespace MmUpt.Data;

/// <summary>
/// Renders a record the way EasyR1 + Qwen2.5-VL's chat template do for MM-UPT (one user turn, generation prompt added):
/// <code>
/// &lt;|im_start|&gt;system\n{System}&lt;|im_end|&gt;\n
/// &lt;|im_start|&gt;user\n{problem, each &lt;image&gt; → VisionBlock}{Separator}{Instruction}&lt;|im_end|&gt;\n
/// &lt;|im_start|&gt;assistant\n
/// </code>
/// A problem without placeholders gets all its images first (Qwen's usual order); the original would have emitted none.
/// </summary>
public sealed class PromptTemplate(PromptTemplateOptions? options = null)
{
    /// <summary>What one image becomes in the text; the engine expands <c>&lt;|image_pad|&gt;</c> to the image's token count.</summary>
    public const string VisionBlock = "<|vision_start|><|image_pad|><|vision_end|>";

    public PromptTemplateOptions Options { get; } = options ?? new PromptTemplateOptions();

    /// <summary>The training / evaluation prompt of a dataset record (reference answer carried along, not shown).</summary>
    public PromptSpec Render(DataRecord record) =>
        new(record.Id, Chat(UserContent(record.Problem, record.Images.Count, Options.Instruction)), record.Images, record.Answer);

    /// <summary>A prompt with a caller-given user text and no instruction suffix (the self-generation prompts).</summary>
    public PromptSpec RenderRaw(string id, string userText, IReadOnlyList<ImageData> images) =>
        new(id, Chat(UserContent(userText, images.Count, "")), images);

    private string UserContent(string problem, int images, string instruction)
    {
        var placeholders = DataRecord.CountPlaceholders(problem);
        if (placeholders > 0 && placeholders != images)
        {
            throw new ArgumentException($"the text has {placeholders} {DataRecord.ImagePlaceholder} placeholder(s) but {images} image(s) were given");
        }
        var text = placeholders > 0
            ? problem.Replace(DataRecord.ImagePlaceholder, VisionBlock, StringComparison.Ordinal)
            : string.Concat(Enumerable.Repeat(VisionBlock, images)) + problem;
        return instruction.Length == 0 ? text : text + Options.Separator + instruction;
    }

    // The image blocks are already in the user text, so both messages are plain text parts.
    private string Chat(string user) => QwenChatTemplate.Render(
        [new QwenChatTemplate.Message("system", [Options.System]), new QwenChatTemplate.Message("user", [user])],
        addGenerationPrompt: true);
}
