namespace MmUpt.Onnx.Qwen25VL;

/// <summary>File names of the three ONNX models inside an exported folder.</summary>
public sealed record Qwen25VLFileNames(string Vision = "vision.onnx", string Embedding = "embedding.onnx", string Decoder = "decoder.onnx")
{
    public static Qwen25VLFileNames Default { get; } = new();

    public string For(Qwen25VLGraph graph) => graph switch
    {
        Qwen25VLGraph.Vision => Vision,
        Qwen25VLGraph.Embedding => Embedding,
        _ => Decoder,
    };
}
