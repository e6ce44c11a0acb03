using MmUpt.Processing.Images;
using MmUpt.Checkpoint.Safetensors;
using MmUpt.Processing.Tokenization;
using MmUpt.Checkpoint;

namespace MmUpt.Presets;

/// <summary>
/// <c>mmupt init</c>: a complete HF-format Qwen2.5-VL folder with random weights — config.json, model.safetensors,
/// tokenizer.json, tokenizer_config.json (with the chat template), preprocessor_config.json, generation_config.json.
/// </summary>
public static class CheckpointInitializer
{
    /// <summary>Trains the tokenizer on <see cref="SeedCorpus"/> and builds the preset's config for its vocabulary.</summary>
    public static (Qwen25VLConfig Config, BpeModel Tokenizer) Build(CheckpointPreset preset)
    {
        var bpe = BpeModel.Create(BpeTrainer.Train(SeedCorpus.Texts(), preset.BpeMerges));
        return (preset.Build(bpe.Count), bpe);
    }

    /// <summary>Builds (<see cref="Build"/>) and writes everything.</summary>
    public static Qwen25VLConfig Write(CheckpointPreset preset, string folder, long seed)
    {
        var (config, bpe) = Build(preset);
        WriteFolder(folder, config, bpe, seed);
        return config;
    }

    /// <summary>Writes a config, its seeded random weights, its tokenizer and the processor and generation configs.</summary>
    public static void WriteFolder(string folder, Qwen25VLConfig config, BpeModel bpe, long seed)
    {
        Directory.CreateDirectory(folder);
        Qwen25VLConfigJson.Save(config, folder);
        SafetensorsCheckpoint.Save(folder, RandomInit.Tensors(config, seed));
        TokenizerJson.Write(folder, bpe, config.MaxPositionEmbeddings);
        new ImageProcessorConfig { MaxPixels = 28L * 28 * 256 }.Save(folder);
        // As Qwen2.5-VL's generation_config.json: stop at <|im_end|> or <|endoftext|>, pad with <|endoftext|>.
        var endOfText = bpe.IdOf(QwenSpecialTokens.EndOfText);
        GenerationConfig.Write(folder, endOfText, endOfText, [bpe.IdOf(QwenSpecialTokens.ImEnd), endOfText]);
    }
}
