using MmUpt.Onnx.Writing;

namespace MmUpt.Onnx.Export;

/// <summary>Options of <see cref="Qwen25VlExporter"/>.</summary>
public sealed record Qwen25VlExportOptions
{
    /// <summary>Storage type of the weights (default fp32).</summary>
    public ExportDtype Dtype { get; init; } = ExportDtype.Fp32;

    /// <summary>Inline or external initializer data (default: external only past 2 GB per file).</summary>
    public ExternalDataMode ExternalData { get; init; } = ExternalDataMode.Auto;

    /// <summary>genai_config context_length and search max_length (default: config.json max_position_embeddings).</summary>
    public int? ContextLength { get; init; }
}
