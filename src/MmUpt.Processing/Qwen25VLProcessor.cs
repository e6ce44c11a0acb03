using MmUpt.Checkpoint;
using MmUpt.Processing.Images;
using MmUpt.Processing.Layout;
using MmUpt.Processing.Tokenization;

namespace MmUpt.Processing;

/// <summary>
/// The processor of an HF Qwen2.5-VL folder (transformers' <c>Qwen2_5_VLProcessor</c>): its non-weight files, loaded and checked together, plus the one way prompts become ids:
/// chat template → each <c>&lt;|image_pad|&gt;</c> expanded to its image's merged-token count → BPE.
/// </summary>
public sealed class Qwen25VLProcessor
{
    public string Path { get; }
    public Qwen25VLConfig Config { get; }
    public ByteLevelBpeTokenizer Tokenizer { get; }
    public QwenImageProcessor ImageProcessor { get; }

    private Qwen25VLProcessor(string path, Qwen25VLConfig config, ByteLevelBpeTokenizer tokenizer, QwenImageProcessor processor)
    {
        Path = path;
        Config = config;
        Tokenizer = tokenizer;
        ImageProcessor = processor;
    }

    public static Qwen25VLProcessor Open(string path)
    {
        var config = Qwen25VLConfigJson.Load(path);
        config.Validate();
        var tokenizer = ByteLevelBpeTokenizer.Load(path);
        if (tokenizer.VocabCount > config.VocabSize)
            throw new CheckpointFormatException($"{path}: tokenizer has {tokenizer.VocabCount} ids but vocab_size is {config.VocabSize}");
        foreach (var (name, id, content) in new[]
                 {
                     ("image_token_id", config.ImageTokenId, QwenSpecialTokens.ImagePad),
                     ("vision_start_token_id", config.VisionStartTokenId, QwenSpecialTokens.VisionStart),
                     ("vision_end_token_id", config.VisionEndTokenId, QwenSpecialTokens.VisionEnd),
                 })
        {
            if (tokenizer.AddedTokenId(content) != id)
                throw new CheckpointFormatException($"{path}: config {name} = {id} but the tokenizer has {content} at {tokenizer.AddedTokenId(content)}");
        }
        var processor = ImageProcessorConfig.Load(path);
        if (processor.PatchSize != config.VisionConfig.PatchSize || processor.MergeSize != config.VisionConfig.SpatialMergeSize
            || processor.TemporalPatchSize != config.VisionConfig.TemporalPatchSize)
            throw new CheckpointFormatException($"{path}: preprocessor_config.json patch/merge/temporal sizes differ from vision_config");
        return new Qwen25VLProcessor(path, config, tokenizer, new QwenImageProcessor(processor));
    }

    /// <summary>The ids of a single-turn user prompt with the generation prompt, images before the text.</summary>
    public int[] EncodeUserPrompt(string text, IReadOnlyList<ProcessedImage> images)
    {
        var prompt = QwenChatTemplate.UserPrompt(text, images.Count);
        var merge = Config.VisionConfig.SpatialMergeSize;
        return Tokenizer.Encode(QwenChatTemplate.ExpandImagePads(prompt, images.Select(i => i.TokenCount(merge)).ToList()));
    }

    /// <summary>image_grid_thw rows of processed images.</summary>
    public static IReadOnlyList<GridThw> Grids(IEnumerable<ProcessedImage> images) =>
        images.Select(i => new GridThw(i.GridT, i.GridH, i.GridW)).ToList();
}
