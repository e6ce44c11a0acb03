using System.Runtime.InteropServices;

namespace MmUpt.Rollout.Engine;

/// <summary>
/// A pinned [B, 1, V] logits tensor that is −inf everywhere except 0 at each row's chosen token: handed to
/// <c>OgaGenerator_SetLogits</c>, it makes ORT GenAI's greedy step append exactly the tokens sampled in C#. Only the
/// previous step's chosen entries are reset, so a step costs O(B), not O(B·V).
/// </summary>
internal sealed class ForcedLogits : IDisposable
{
    private readonly float[] _values;
    private readonly int[] _chosen;
    private readonly int _vocab;
    private GCHandle _pin;
    private IntPtr _tensor;

    public ForcedLogits(int batch, int vocab)
    {
        _vocab = vocab;
        _values = new float[batch * vocab];
        Array.Fill(_values, float.NegativeInfinity);
        _chosen = new int[batch];
        Array.Fill(_chosen, -1);
        _pin = GCHandle.Alloc(_values, GCHandleType.Pinned);
        OgaNative.Check(OgaNative.OgaCreateTensorFromBuffer(_pin.AddrOfPinnedObject(), [batch, 1, vocab], 3, OgaNative.Float32, out _tensor),
            "CreateTensorFromBuffer(logits)");
    }

    public IntPtr Tensor => _tensor;

    public void Choose(int row, int token)
    {
        if (_chosen[row] >= 0)
        {
            _values[row * _vocab + _chosen[row]] = float.NegativeInfinity;
        }
        _values[row * _vocab + token] = 0f;
        _chosen[row] = token;
    }

    public void Dispose()
    {
        if (_tensor != IntPtr.Zero)
        {
            OgaNative.OgaDestroyTensor(_tensor);
            _tensor = IntPtr.Zero;
        }
        if (_pin.IsAllocated)
        {
            _pin.Free();
        }
    }
}
