using MmUpt.Core;
using MmUpt.Onnx.Export;
using MmUpt.Presets;
using MmUpt.Processing;
using MmUpt.Rollout.Engine;
using MmUpt.Testing;

namespace MmUpt.Rollout.Tests.Engine;

/// <summary>
/// One tokenization for both engines, on Qwen's real tokenizer: the ids the rollout engine feeds ORT GenAI for a
/// chat prompt are Hugging Face's (<see cref="ReferenceIds"/>) and the learner's (<see cref="Qwen25VLProcessor"/>), on
/// the whole string set, NFC cases and U+0000 included.
/// </summary>
public sealed class RealVocabPromptTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_engine_and_the_learner_encode_prompts_as_Hugging_Face_does()
    {
        var checkpoint = Path.Combine(_dir.Path, "hf");
        RealVocabPreset.Write(checkpoint, RealQwenTokenizer.TokenizerJsonPath, seed: 2);
        var export = Qwen25VLExporter.Export(checkpoint, Path.Combine(_dir.Path, "onnx"));
        using var engine = OrtGenAiEngine.Load(export.Folder, DeviceSpec.Cpu);
        var learner = Qwen25VLProcessor.Open(checkpoint);
        // generation_config.json's stop tokens, <|im_end|> and <|endoftext|>, reach the export.
        Assert.Equal([151_643, 151_645], engine.Info.EosTokenIds.Order());

        var engineWrong = ReferenceIds.Disagreements(r => r.ChatIds, r => engine.Prepare(r.Chat, []).TokenIds);
        Assert.True(engineWrong.Count == 0, $"rollout engine, {engineWrong.Count} of {ReferenceIds.All.Count} differ:\n{string.Join("\n", engineWrong)}");
        var learnerWrong = ReferenceIds.Disagreements(r => engine.Prepare(r.Chat, []).TokenIds, r => learner.EncodeUserPrompt(r.Text, []));
        Assert.True(learnerWrong.Count == 0, $"learner vs engine, {learnerWrong.Count} differ:\n{string.Join("\n", learnerWrong)}");
    }
}
