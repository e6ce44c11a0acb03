using MmUpt.Onnx.Writing;

namespace MmUpt.Onnx.Export;

/// <summary>Options of <see cref="Qwen25VLExporter"/>.</summary>
public sealed record Qwen25VLExportOptions
{
    /// <summary>Storage type of the weights (default fp32).</summary>
    public ExportDtype Dtype { get; init; } = ExportDtype.Fp32;

    /// <summary>Inline or external initializer data (default: external only past 2 GB per file).</summary>
    public ExternalDataMode ExternalData { get; init; } = ExternalDataMode.Auto;

    /// <summary>genai_config context_length and search max_length (default: config.json max_position_embeddings).</summary>
    public int? ContextLength { get; init; }

    /// <summary>
    /// Emit logits for every input position ([B,S,V]) instead of only each row's last real token ([B,1,V], the default).
    /// Sampling needs only the last; a real vocabulary makes the full prefill tensor huge (10 rows × 1,500 tokens ×
    /// 152k ≈ 9 GB). Full logits are for scoring whole sequences and for parity tests.
    /// </summary>
    public bool AllPositionLogits { get; init; }

    /// <summary>Replace a non-empty output folder as a whole (CLI <c>--force</c>). Default false: such a folder is refused.</summary>
    public bool Overwrite { get; init; }

    /// <summary>
    /// Pin the logits of the image/video placeholders and vision delimiters at −inf in the decoder (default on): a sampled
    /// <c>&lt;|image_pad|&gt;</c> would break the learner's position ids. ORT GenAI 0.18 has no logit bias.
    /// </summary>
    public bool MaskNeverSampledTokens { get; init; } = true;

    /// <summary>
    /// Declare every weight of the multimodal export as a graph input as well as an initializer, so an ORT adapter could
    /// replace it (default off). ONNX Runtime treats such weights as non-constant: it cannot pre-pack them for its GEMM
    /// kernels nor fold the casts of a bf16 export, which costs every decode step; and ORT GenAI 0.18's multimodal
    /// pipeline never applies adapters (DESIGN.md, "Weight versions"), so only tests that watch for that fix want it.
    /// The text-only export (<c>ExportTextOnly</c>, type qwen2, whose generators do apply adapters) always has it.
    /// </summary>
    public bool OverridableWeights { get; init; }
}
