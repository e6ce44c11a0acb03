using Tensor = Microsoft.ML.OnnxRuntimeGenAI.Tensor;

namespace MmUpt.Rollout.Engine;

/// <summary>
/// Each row's next-token logits in an fp32 logits tensor [B, S, V] copied out of ORT GenAI: the last position when
/// S = 1 (decode steps, and the prefill of a last-token-logits export, whose decoder already picks each row's last real
/// token), else position <c>lengths[b] − 1</c> (the prefill of an all-position export, rows right-padded).
/// </summary>
internal sealed class LogitsView : IDisposable
{
    private readonly Tensor _tensor;
    private readonly long[] _offsets;

    public LogitsView(Tensor tensor, int batch, IReadOnlyList<int>? lengths = null)
    {
        _tensor = tensor;
        var shape = tensor.Shape();
        if (shape.Length != 3 || shape[0] != batch)
        {
            throw new InvalidOperationException($"logits of shape [{string.Join(",", shape)}], expected [{batch}, S, V]");
        }
        Vocab = (int)shape[2];
        var positions = shape[1];
        _offsets = new long[batch];
        for (var b = 0; b < batch; b++)
        {
            var position = positions == 1 || lengths is null ? positions - 1 : lengths[b] - 1;
            _offsets[b] = (b * positions + position) * shape[2];
        }
    }

    public int Vocab { get; }

    public ReadOnlySpan<float> Row(int b) => _tensor.GetData<float>().Slice((int)_offsets[b], Vocab);

    public void Dispose() => _tensor.Dispose();
}
