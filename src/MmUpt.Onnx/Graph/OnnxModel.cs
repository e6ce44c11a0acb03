using MmUpt.Onnx.Proto;

namespace MmUpt.Onnx.Graph;

/// <summary>
/// A built graph before it is written: nodes, inputs and outputs in <see cref="Graph"/> (without initializer data),
/// and the initializers whose bytes the writer places inline or in external data.
/// </summary>
public sealed class OnnxModel
{
    /// <summary>IR version 8 goes with opset 17 (ONNX 1.12).</summary>
    public const long IrVersion = 8;

    public const long Opset = 17;

    public OnnxModel(GraphProto graph, IReadOnlyList<InitializerEntry> initializers, IReadOnlyDictionary<string, string> metadata)
    {
        Graph = graph;
        Initializers = initializers;
        Metadata = metadata;
    }

    public GraphProto Graph { get; }

    public IReadOnlyList<InitializerEntry> Initializers { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    public long InitializerBytes => Initializers.Sum(i => i.Payload.ByteLength);
}
