using System.Text.Json;
using System.Text.Json.Nodes;
using MmUpt.Processing.Images;
using MmUpt.Checkpoint;

namespace MmUpt.Onnx.Qwen25VL;

/// <summary>
/// processor_config.json for ORT GenAI's Qwen image processor (onnxruntime-extensions transforms), carrying the
/// checkpoint's preprocessor_config.json values: DecodeImage → ConvertRGB → Resize(smart_resize, min/max pixels)
/// → Rescale → Normalize(qwen2_5_vl) → PatchImage (notes/ortgenai-0.18.md §2.7).
/// </summary>
public static class ProcessorConfig
{
    public const string FileName = "processor_config.json";

    public static JsonObject Build(ImageProcessorConfig p, Qwen25VLVisionConfig v)
    {
        if (p.PatchSize != v.PatchSize || p.TemporalPatchSize != v.TemporalPatchSize || p.MergeSize != v.SpatialMergeSize)
        {
            throw new CheckpointRejectedException(
                $"preprocessor_config.json patch_size/temporal_patch_size/merge_size ({p.PatchSize}/{p.TemporalPatchSize}/{p.MergeSize}) " +
                $"disagree with config.json vision_config ({v.PatchSize}/{v.TemporalPatchSize}/{v.SpatialMergeSize})");
        }
        if (!p.DoResize || !p.DoRescale || !p.DoNormalize)
        {
            throw new CheckpointRejectedException("preprocessor_config.json: do_resize, do_rescale and do_normalize must be true");
        }
        static JsonArray Floats(IEnumerable<double> xs) => new(xs.Select(x => (JsonNode)x).ToArray());
        static JsonObject Op(string name, string type, JsonObject? attrs = null)
        {
            var op = new JsonObject { ["name"] = name, ["type"] = type };
            if (attrs is not null)
            {
                op["attrs"] = attrs;
            }
            return new JsonObject { ["operation"] = op };
        }
        var transforms = new JsonArray(
            Op("decode_image", "DecodeImage", new JsonObject { ["color_space"] = "RGB" }),
            Op("convert_to_rgb", "ConvertRGB"),
            Op("resize", "Resize", new JsonObject
            {
                ["smart_resize"] = 1,
                ["min_pixels"] = p.MinPixels,
                ["max_pixels"] = p.MaxPixels,
                ["patch_size"] = p.PatchSize,
                ["merge_size"] = p.MergeSize,
            }),
            Op("rescale", "Rescale", new JsonObject { ["rescale_factor"] = p.RescaleFactor }),
            Op("normalize", "Normalize", new JsonObject
            {
                ["mean"] = Floats(p.ImageMean),
                ["std"] = Floats(p.ImageStd),
                ["qwen2_5_vl"] = 1,
            }),
            Op("patch_image", "PatchImage", new JsonObject
            {
                ["patch_size"] = p.PatchSize,
                ["temporal_patch_size"] = p.TemporalPatchSize,
                ["merge_size"] = p.MergeSize,
            }));
        return new JsonObject { ["processor"] = new JsonObject { ["name"] = "qwen2_5_image_processor", ["transforms"] = transforms } };
    }

    public static void Write(string folder, JsonObject config) =>
        File.WriteAllText(Path.Combine(folder, FileName), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
}
