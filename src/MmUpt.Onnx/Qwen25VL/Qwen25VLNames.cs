namespace MmUpt.Onnx.Qwen25VL;

/// <summary>
/// The two HF name layouts of Qwen2.5-VL weights. Canonical = the original release layout
/// (<c>model.layers.*</c>, <c>visual.*</c>, <c>lm_head.weight</c>); newer transformers save
/// <c>model.language_model.*</c> and <c>model.visual.*</c> (their <c>_checkpoint_conversion_mapping</c>).
/// </summary>
public static class Qwen25VLNames
{
    public static string Canonical(string name)
    {
        if (name.StartsWith("model.language_model.", StringComparison.Ordinal))
        {
            return "model." + name["model.language_model.".Length..];
        }
        if (name.StartsWith("model.visual.", StringComparison.Ordinal))
        {
            return "visual." + name["model.visual.".Length..];
        }
        return name;
    }
}
