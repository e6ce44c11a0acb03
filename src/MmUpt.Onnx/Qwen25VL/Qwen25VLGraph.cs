namespace MmUpt.Onnx.Qwen25VL;

/// <summary>The three ONNX files of an ORT GenAI <c>qwen2_5_vl</c> folder.</summary>
public enum Qwen25VLGraph
{
    Vision,
    Embedding,
    Decoder,
}
