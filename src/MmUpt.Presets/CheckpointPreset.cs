using System.Text.Json;
using MmUpt.Processing.Tokenization;
using MmUpt.Checkpoint;

namespace MmUpt.Presets;

/// <summary>
/// The embedded model sizes of <c>mmupt init</c>: tiny ≈ 0.55 M parameters (2.2 MB fp32), small ≈ 6.8 M (27 MB). Both exercise every mechanism of Qwen2.5-VL: GQA (heads ≠ kv heads),
/// an uneven mRoPE split, windowed and full-attention vision blocks, and windows that partition a ≥5×5-merged-token
/// image (tiny: window 56 px = 2×2 merged tokens, so a 140×196 px image has 3×4 windows, the last row and column partial).
/// </summary>
public sealed record CheckpointPreset(string Name, int BpeMerges, Func<int, Qwen25VLConfig> Build)
{
    public static CheckpointPreset Tiny { get; } = new("tiny", 300, vocab => Config(vocab,
        hidden: 96, intermediate: 256, layers: 3, heads: 6, kvHeads: 2, mrope: [2, 3, 3], tie: true,
        vDepth: 3, vHidden: 48, vIntermediate: 128, vHeads: 3, window: 56, fullatt: [1]));

    public static CheckpointPreset Small { get; } = new("small", 2000, vocab => Config(vocab,
        hidden: 256, intermediate: 704, layers: 6, heads: 8, kvHeads: 2, mrope: [4, 6, 6], tie: false,
        vDepth: 4, vHidden: 128, vIntermediate: 352, vHeads: 4, window: 112, fullatt: [1, 3]));

    public static IReadOnlyList<CheckpointPreset> All { get; } = [Tiny, Small];

    public static CheckpointPreset Get(string name) =>
        All.FirstOrDefault(p => p.Name == name)
        ?? throw new ArgumentException($"unknown preset \"{name}\" (known: {string.Join(", ", All.Select(p => p.Name))})");

    private static JsonElement Json<T>(T value) => JsonSerializer.SerializeToElement(value);

    /// <param name="tokenId">The id of an added token (default: the embedded tokenizer's, <see cref="QwenSpecialTokens.Id"/>).</param>
    internal static Qwen25VLConfig Config(int vocab, int hidden, int intermediate, int layers, int heads, int kvHeads,
        int[] mrope, bool tie, int vDepth, int vHidden, int vIntermediate, int vHeads, int window, int[] fullatt,
        Func<string, int>? tokenId = null)
    {
        tokenId ??= QwenSpecialTokens.Id;
        var c = new Qwen25VLConfig
        {
            Architectures = ["Qwen2_5_VLForConditionalGeneration"],
            VocabSize = vocab,
            HiddenSize = hidden,
            IntermediateSize = intermediate,
            NumHiddenLayers = layers,
            NumAttentionHeads = heads,
            NumKeyValueHeads = kvHeads,
            MaxPositionEmbeddings = 4096,
            RopeTheta = 10000,
            RopeScaling = new RopeScalingConfig { Type = "mrope", RopeType = "default", MropeSection = mrope },
            TieWordEmbeddings = tie,
            TorchDtype = "float32",
            BosTokenId = tokenId(QwenSpecialTokens.EndOfText),
            EosTokenId = tokenId(QwenSpecialTokens.ImEnd),
            ImageTokenId = tokenId(QwenSpecialTokens.ImagePad),
            VideoTokenId = tokenId(QwenSpecialTokens.VideoPad),
            VisionStartTokenId = tokenId(QwenSpecialTokens.VisionStart),
            VisionEndTokenId = tokenId(QwenSpecialTokens.VisionEnd),
            VisionTokenId = tokenId(QwenSpecialTokens.VisionPad),
            VisionConfig = new Qwen25VLVisionConfig
            {
                Depth = vDepth, HiddenSize = vHidden, IntermediateSize = vIntermediate, NumHeads = vHeads, InChans = 3,
                PatchSize = 14, SpatialMergeSize = 2, TemporalPatchSize = 2, WindowSize = window,
                FullattBlockIndexes = fullatt, TokensPerSecond = 2, OutHiddenSize = hidden,
            },
            Extra = new()
            {
                ["attention_dropout"] = Json(0.0), ["initializer_range"] = Json(0.02), ["use_cache"] = Json(true),
                ["use_sliding_window"] = Json(false), ["sliding_window"] = Json(4096), ["max_window_layers"] = Json(layers),
            },
        };
        c.Validate();
        return c;
    }
}
