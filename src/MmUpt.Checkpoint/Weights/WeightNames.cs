namespace MmUpt.Checkpoint;

/// <summary>
/// Maps tensor names between <see cref="WeightNameLayout.Flat"/> (canonical) and <see cref="WeightNameLayout.Nested"/>,
/// the inverse of transformers' <c>_checkpoint_conversion_mapping</c>
/// (<c>^visual → model.visual</c>, <c>^model(?!\.(language_model|visual)) → model.language_model</c>).
/// </summary>
public static class WeightNames
{
    private const string NestedText = "model.language_model.";
    private const string NestedVisual = "model.visual.";
    private const string FlatText = "model.";
    private const string FlatVisual = "visual.";

    /// <summary>Any-layout name → canonical (flat) name; names outside both trees (<c>lm_head.weight</c>) are unchanged.</summary>
    public static string ToCanonical(string name)
    {
        if (name.StartsWith(NestedText, StringComparison.Ordinal)) return FlatText + name[NestedText.Length..];
        if (name.StartsWith(NestedVisual, StringComparison.Ordinal)) return FlatVisual + name[NestedVisual.Length..];
        return name;
    }

    /// <summary>Canonical name → the name in <paramref name="layout"/>.</summary>
    public static string FromCanonical(string canonical, WeightNameLayout layout)
    {
        if (layout == WeightNameLayout.Flat) return canonical;
        if (canonical.StartsWith(FlatVisual, StringComparison.Ordinal)) return NestedVisual + canonical[FlatVisual.Length..];
        if (canonical.StartsWith(FlatText, StringComparison.Ordinal)) return NestedText + canonical[FlatText.Length..];
        return canonical;
    }

    /// <summary>The layout of a set of stored names; a mix of both is an error.</summary>
    public static WeightNameLayout Detect(IEnumerable<string> names)
    {
        bool nested = false, flat = false;
        foreach (var n in names)
        {
            if (n.StartsWith(NestedText, StringComparison.Ordinal) || n.StartsWith(NestedVisual, StringComparison.Ordinal)) nested = true;
            else if (n.StartsWith(FlatText, StringComparison.Ordinal) || n.StartsWith(FlatVisual, StringComparison.Ordinal)) flat = true;
        }
        if (nested && flat)
            throw new CheckpointFormatException("checkpoint mixes the model.language_model.*/model.visual.* and model.*/visual.* name layouts");
        return nested ? WeightNameLayout.Nested : WeightNameLayout.Flat;
    }

    /// <summary>Canonical name → stored name, for every tensor of a checkpoint.</summary>
    public static IReadOnlyDictionary<string, string> CanonicalMap(IEnumerable<string> storedNames)
    {
        var names = storedNames.ToList();
        Detect(names);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var n in names)
        {
            var c = ToCanonical(n);
            if (!map.TryAdd(c, n)) throw new CheckpointFormatException($"tensors \"{map[c]}\" and \"{n}\" both mean \"{c}\"");
        }
        return map;
    }
}
