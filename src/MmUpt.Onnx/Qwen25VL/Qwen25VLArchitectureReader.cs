using MmUpt.Checkpoint;

namespace MmUpt.Onnx.Qwen25VL;

/// <summary>Reads the export's view of a checkpoint's config.json (parsed by MmUpt.Checkpoint) and refuses other architectures.</summary>
public static class Qwen25VLArchitectureReader
{
    public const string Architecture = "Qwen2_5_VLForConditionalGeneration";
    public const string ModelType = "qwen2_5_vl";

    public static Qwen25VLArchitecture From(Qwen25VLConfig c)
    {
        if (c.ModelType != ModelType)
        {
            throw new CheckpointRejectedException($"config.json model_type: only \"{ModelType}\" is exported (got \"{c.ModelType}\")");
        }
        if (c.Architectures is { Length: > 0 } archs && !archs.Contains(Architecture))
        {
            throw new CheckpointRejectedException(
                $"config.json architectures: only {Architecture} is exported (got {string.Join(", ", archs)})");
        }
        var v = c.VisionConfig;
        var a = new Qwen25VLArchitecture
        {
            HiddenSize = c.HiddenSize,
            IntermediateSize = c.IntermediateSize,
            NumHiddenLayers = c.NumHiddenLayers,
            NumAttentionHeads = c.NumAttentionHeads,
            NumKeyValueHeads = c.NumKeyValueHeads,
            VocabSize = c.VocabSize,
            RmsNormEps = c.RmsNormEps,
            RopeTheta = c.RopeTheta,
            MropeSection = c.MropeSection.ToArray(),
            TieWordEmbeddings = c.TieWordEmbeddings,
            MaxPositionEmbeddings = c.MaxPositionEmbeddings,
            HiddenAct = c.HiddenAct,
            BosTokenId = c.BosTokenId,
            EosTokenIds = c.EosTokenIds().ToArray(),
            ImageTokenId = c.ImageTokenId,
            VideoTokenId = c.VideoTokenId,
            VisionStartTokenId = c.VisionStartTokenId,
            VisionPadTokenId = c.VisionTokenId,
            NeverSampledTokenIds = NeverSampledTokens.Ids(c),
            Vision = new Qwen25VLVisionArchitecture
            {
                Depth = v.Depth,
                HiddenSize = v.HiddenSize,
                IntermediateSize = v.IntermediateSize,
                NumHeads = v.NumHeads,
                InChannels = v.InChannels,
                PatchSize = v.PatchSize,
                TemporalPatchSize = v.TemporalPatchSize,
                SpatialMergeSize = v.SpatialMergeSize,
                WindowSize = v.WindowSize,
                FullAttBlockIndexes = v.FullattBlockIndexes,
                OutHiddenSize = v.OutHiddenSize,
                TokensPerSecond = v.TokensPerSecond,
                HiddenAct = v.HiddenAct,
            },
        };
        a.Validate();
        return a;
    }
}
