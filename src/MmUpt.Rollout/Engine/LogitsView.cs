using Tensor = Microsoft.ML.OnnxRuntimeGenAI.Tensor;

namespace MmUpt.Rollout.Engine;

/// <summary>The last position of each row of an fp32 logits tensor [B, S, V] copied out of ORT GenAI.</summary>
internal sealed class LogitsView : IDisposable
{
    private readonly Tensor _tensor;
    private readonly long _rowStride;
    private readonly long _lastOffset;

    public LogitsView(Tensor tensor, int batch)
    {
        _tensor = tensor;
        var shape = tensor.Shape();
        if (shape.Length != 3 || shape[0] != batch)
        {
            throw new InvalidOperationException($"logits of shape [{string.Join(",", shape)}], expected [{batch}, S, V]");
        }
        Vocab = (int)shape[2];
        _rowStride = shape[1] * shape[2];
        _lastOffset = (shape[1] - 1) * shape[2];
    }

    public int Vocab { get; }

    public ReadOnlySpan<float> Row(int b) => _tensor.GetData<float>().Slice((int)(b * _rowStride + _lastOffset), Vocab);

    public void Dispose() => _tensor.Dispose();
}
