namespace MmUpt.Onnx.Qwen25Vl;

/// <summary>File names of the three ONNX models inside an exported folder.</summary>
public sealed record Qwen25VlFileNames(string Vision = "vision.onnx", string Embedding = "embedding.onnx", string Decoder = "decoder.onnx")
{
    public static Qwen25VlFileNames Default { get; } = new();

    public string For(Qwen25VlGraph graph) => graph switch
    {
        Qwen25VlGraph.Vision => Vision,
        Qwen25VlGraph.Embedding => Embedding,
        _ => Decoder,
    };
}
