using System.Text;

namespace MmUpt.Processing.Tokenization;

/// <summary>
/// Qwen2.5-VL's chat template: the Jinja text written to <c>tokenizer_config.json</c> (rendered by ORT GenAI and
/// transformers), and the same rendering in C# for the learner and tests (text and image parts only).
/// </summary>
public static class QwenChatTemplate
{
    public const string DefaultSystem = "You are a helpful assistant.";

    public const string Jinja =
        "{% set image_count = namespace(value=0) %}{% set video_count = namespace(value=0) %}" +
        "{% for message in messages %}{% if loop.first and message['role'] != 'system' %}" +
        "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n{% endif %}" +
        "<|im_start|>{{ message['role'] }}\n{% if message['content'] is string %}{{ message['content'] }}<|im_end|>\n" +
        "{% else %}{% for content in message['content'] %}" +
        "{% if content['type'] == 'image' or 'image' in content or 'image_url' in content %}" +
        "{% set image_count.value = image_count.value + 1 %}{% if add_vision_id %}Picture {{ image_count.value }}: {% endif %}" +
        "<|vision_start|><|image_pad|><|vision_end|>" +
        "{% elif content['type'] == 'video' or 'video' in content %}" +
        "{% set video_count.value = video_count.value + 1 %}{% if add_vision_id %}Video {{ video_count.value }}: {% endif %}" +
        "<|vision_start|><|video_pad|><|vision_end|>" +
        "{% elif 'text' in content %}{{ content['text'] }}{% endif %}{% endfor %}<|im_end|>\n{% endif %}{% endfor %}" +
        "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";

    /// <summary>One message; <paramref name="Parts"/> are text strings or <see cref="ImagePart"/>.</summary>
    public sealed record Message(string Role, IReadOnlyList<object> Parts);

    /// <summary>An image placeholder in a message.</summary>
    public sealed record ImagePart;

    public static string Render(IReadOnlyList<Message> messages, bool addGenerationPrompt)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < messages.Count; i++)
        {
            var m = messages[i];
            if (i == 0 && m.Role != "system") sb.Append("<|im_start|>system\n").Append(DefaultSystem).Append("<|im_end|>\n");
            sb.Append("<|im_start|>").Append(m.Role).Append('\n');
            foreach (var part in m.Parts)
            {
                sb.Append(part is ImagePart ? "<|vision_start|><|image_pad|><|vision_end|>" : (string)part);
            }
            sb.Append("<|im_end|>\n");
        }
        if (addGenerationPrompt) sb.Append("<|im_start|>assistant\n");
        return sb.ToString();
    }

    /// <summary>The usual single-turn prompt: default system, one user message with images first, then the text.</summary>
    public static string UserPrompt(string text, int images) =>
        Render([new Message("user", [.. Enumerable.Repeat<object>(new ImagePart(), images), text])], addGenerationPrompt: true);

    /// <summary>Expands each <c>&lt;|image_pad|&gt;</c> to <paramref name="tokensPerImage"/>[i] copies, as the processor does.</summary>
    public static string ExpandImagePads(string prompt, IReadOnlyList<int> tokensPerImage)
    {
        var parts = prompt.Split(QwenSpecialTokens.ImagePad);
        if (parts.Length - 1 != tokensPerImage.Count)
            throw new ArgumentException($"prompt has {parts.Length - 1} image placeholders but {tokensPerImage.Count} images were given");
        var sb = new StringBuilder(parts[0]);
        for (var i = 1; i < parts.Length; i++)
        {
            for (var k = 0; k < tokensPerImage[i - 1]; k++) sb.Append(QwenSpecialTokens.ImagePad);
            sb.Append(parts[i]);
        }
        return sb.ToString();
    }
}
