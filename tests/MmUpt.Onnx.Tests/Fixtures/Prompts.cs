namespace MmUpt.Onnx.Tests.Fixtures;

/// <summary>Chat-formatted prompts in Qwen's template; each image is one vision_start/image_pad/vision_end marker.</summary>
public static class Prompts
{
    public const string ImageMarker = "<|vision_start|><|image_pad|><|vision_end|>";

    public static string User(string text, int images = 0) =>
        "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n" +
        string.Concat(Enumerable.Repeat(ImageMarker, images)) + text + "<|im_end|>\n<|im_start|>assistant\n";
}
