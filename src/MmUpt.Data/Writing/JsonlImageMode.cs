namespace MmUpt.Data;

/// <summary>How <see cref="JsonlDatasetWriter"/> stores images.</summary>
public enum JsonlImageMode
{
    /// <summary>As files in a folder next to the JSONL, referenced by relative path (default; what people can open).</summary>
    Files,

    /// <summary>Inline as <c>data:image/...;base64,</c> URIs: one self-contained file.</summary>
    Inline,
}
