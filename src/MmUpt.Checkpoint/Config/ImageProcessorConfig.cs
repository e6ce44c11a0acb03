using System.Text.Json;
using System.Text.Json.Serialization;

namespace MmUpt.Checkpoint;

/// <summary><c>preprocessor_config.json</c> of Qwen2.5-VL (<c>Qwen2VLImageProcessor</c>); unknown fields round-trip in <see cref="Extra"/>.</summary>
public sealed class ImageProcessorConfig
{
    public const string FileName = "preprocessor_config.json";

    [JsonPropertyName("min_pixels")] public long MinPixels { get; set; } = 56 * 56;
    [JsonPropertyName("max_pixels")] public long MaxPixels { get; set; } = 28L * 28 * 1280;
    [JsonPropertyName("patch_size")] public int PatchSize { get; set; } = 14;
    [JsonPropertyName("temporal_patch_size")] public int TemporalPatchSize { get; set; } = 2;
    [JsonPropertyName("merge_size")] public int MergeSize { get; set; } = 2;
    [JsonPropertyName("image_mean")] public double[] ImageMean { get; set; } = [0.48145466, 0.4578275, 0.40821073];
    [JsonPropertyName("image_std")] public double[] ImageStd { get; set; } = [0.26862954, 0.26130258, 0.27577711];
    [JsonPropertyName("rescale_factor")] public double RescaleFactor { get; set; } = 1.0 / 255;
    [JsonPropertyName("do_resize")] public bool DoResize { get; set; } = true;
    [JsonPropertyName("do_rescale")] public bool DoRescale { get; set; } = true;
    [JsonPropertyName("do_normalize")] public bool DoNormalize { get; set; } = true;
    [JsonPropertyName("do_convert_rgb")] public bool DoConvertRgb { get; set; } = true;
    /// <summary>PIL's code for BICUBIC; the only filter implemented.</summary>
    [JsonPropertyName("resample")] public int Resample { get; set; } = 3;
    [JsonPropertyName("image_processor_type")] public string ImageProcessorType { get; set; } = "Qwen2VLImageProcessor";
    [JsonPropertyName("processor_class")] public string ProcessorClass { get; set; } = "Qwen2_5_VLProcessor";

    /// <summary>Unknown fields, kept for the round trip (a JsonObject here trips a .NET 10 serializer bug that writes them unnamed).</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }

    public static ImageProcessorConfig Load(string folderOrFile)
    {
        var path = Directory.Exists(folderOrFile) ? Path.Combine(folderOrFile, FileName) : folderOrFile;
        var c = JsonSerializer.Deserialize<ImageProcessorConfig>(File.ReadAllText(path), Qwen25VLConfigJson.Options)
                ?? throw new CheckpointFormatException($"{path} is empty");
        c.Validate(path);
        return c;
    }

    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, Qwen25VLConfigJson.Options) + "\n");
    }

    public void Validate(string where = FileName)
    {
        var errors = new List<string>();
        if (PatchSize <= 0 || TemporalPatchSize <= 0 || MergeSize <= 0) errors.Add("patch_size, temporal_patch_size and merge_size must be > 0");
        if (MinPixels <= 0 || MaxPixels < MinPixels) errors.Add($"need 0 < min_pixels ({MinPixels}) <= max_pixels ({MaxPixels})");
        if (ImageMean.Length != 3 || ImageStd.Length != 3) errors.Add("image_mean and image_std must have 3 entries (RGB)");
        if (ImageStd.Any(s => s <= 0)) errors.Add("image_std entries must be > 0");
        if (Resample != 3) errors.Add($"resample must be 3 (bicubic), got {Resample}");
        if (errors.Count > 0) throw new CheckpointFormatException($"{where}: " + string.Join("; ", errors));
    }
}
