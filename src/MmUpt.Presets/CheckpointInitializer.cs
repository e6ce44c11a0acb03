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
        Directory.CreateDirectory(folder);
        Qwen25VLConfigJson.Save(config, folder);
        SafetensorsCheckpoint.Save(folder, RandomInit.Tensors(config, seed));
        TokenizerJson.Write(folder, bpe, config.MaxPositionEmbeddings);
        new ImageProcessorConfig { MaxPixels = 28L * 28 * 256 }.Save(folder);
        GenerationConfig.Write(folder, config.BosTokenId ?? 0, QwenSpecialTokens.Id(QwenSpecialTokens.EndOfText),
            [QwenSpecialTokens.Id(QwenSpecialTokens.ImEnd), QwenSpecialTokens.Id(QwenSpecialTokens.EndOfText)]);
        return config;
    }
}
