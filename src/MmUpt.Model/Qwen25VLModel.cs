using MmUpt.Checkpoint;
using MmUpt.Checkpoint.Safetensors;
using TorchSharp;
using static TorchSharp.torch;
using MmUpt.Presets;

namespace MmUpt.Model;

/// <summary>Builds, loads and saves <see cref="Qwen25VLForConditionalGeneration"/> as HF checkpoint folders.</summary>
public static class Qwen25VLModel
{
    /// <summary>
    /// config.json + safetensors of <paramref name="folder"/>, in the options' dtype and device. The config is
    /// validated and every tensor header checked against it before the model is built, so a bad folder allocates nothing.
    /// </summary>
    public static Qwen25VLForConditionalGeneration FromPretrained(string folder, ModelOptions options)
    {
        var config = Qwen25VLConfigJson.Load(folder);
        config.Validate(Path.Combine(folder, Qwen25VLConfigJson.FileName));
        Qwen25VLCheckpointIO.Check(config, folder);
        var m = new Qwen25VLForConditionalGeneration(config, options);
        try
        {
            Qwen25VLCheckpointIO.Load(m, folder);
        }
        catch
        {
            m.Dispose();
            throw;
        }
        return m;
    }

    /// <summary>The same random weights as <c>mmupt init</c> with this seed (<see cref="RandomInit"/>).</summary>
    public static Qwen25VLForConditionalGeneration CreateRandom(Qwen25VLConfig config, long seed, ModelOptions options)
    {
        var m = new Qwen25VLForConditionalGeneration(config, options);
        var std = config.Extra is not null && config.Extra.TryGetValue("initializer_range", out var r) ? r.GetDouble() : 0.02;
        var specs = Qwen25VLWeights.Expected(config).ToDictionary(s => s.Name);
        using var noGrad = no_grad();
        foreach (var (name, p) in m.named_parameters())
        {
            using var scope = NewDisposeScope();
            var values = RandomInit.Values(specs[name], seed, std);
            p.copy_(tensor(values, p.shape));
        }
        return m;
    }

    /// <summary>Writes config.json and the weights; copies tokenizer/processor/generation files from <paramref name="auxiliaryFrom"/>.</summary>
    public static void SavePretrained(Qwen25VLForConditionalGeneration m, string folder, SafetensorsDType dtype = SafetensorsDType.F32,
        string? auxiliaryFrom = null)
    {
        Directory.CreateDirectory(folder);
        var config = m.Config.Clone();
        config.TorchDtype = dtype switch { SafetensorsDType.BF16 => "bfloat16", SafetensorsDType.F16 => "float16", _ => "float32" };
        Qwen25VLConfigJson.Save(config, folder);
        Qwen25VLCheckpointIO.Save(m, folder, dtype);
        if (auxiliaryFrom is null) return;
        foreach (var f in new[] { "tokenizer.json", "tokenizer_config.json", "preprocessor_config.json", "generation_config.json", "chat_template.json" })
        {
            var src = Path.Combine(auxiliaryFrom, f);
            if (File.Exists(src) && Path.GetFullPath(auxiliaryFrom) != Path.GetFullPath(folder)) File.Copy(src, Path.Combine(folder, f), overwrite: true);
        }
    }
}
