using static TorchSharp.torch;

namespace MmUpt.Model;

/// <summary>
/// The keys and values every decoder layer has computed so far, for sampling one token at a time (transformers'
/// <c>StaticCache</c>): per layer [B, K, capacity, D] allocated once, filled up to <see cref="Length"/> (keys after
/// RoPE, before the kv heads are repeated). Padding inside the cache is masked by the caller's attention mask.
/// Legend: B rows, K kv heads, D head dim.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor[] _keys;
    private readonly Tensor[] _values;

    public KvCache(Qwen25VLForConditionalGeneration model, long rows, long capacity)
    {
        var c = model.Config;
        Capacity = capacity;
        Tensor Slab() => zeros([rows, c.NumKeyValueHeads, capacity, c.HeadDim], dtype: model.Options.DType, device: model.Options.Device);
        _keys = Enumerable.Range(0, c.NumHiddenLayers).Select(_ => Slab()).ToArray();
        _values = Enumerable.Range(0, c.NumHiddenLayers).Select(_ => Slab()).ToArray();
    }

    private KvCache(Tensor[] keys, Tensor[] values, long capacity, long length)
    {
        (_keys, _values, Capacity, Length) = (keys, values, capacity, length);
    }

    public long Capacity { get; }

    /// <summary>
    /// A cache of <paramref name="rows"/> rows, each a copy of this one-row cache: a group's shared prompt is prefilled
    /// once, then every sample decodes from its own copy.
    /// </summary>
    public KvCache Repeat(long rows)
    {
        if (_keys[0].shape[0] != 1) throw new InvalidOperationException($"Repeat needs a one-row cache, this one has {_keys[0].shape[0]} rows");
        Tensor Copy(Tensor slab) => slab.expand(rows, -1, -1, -1).contiguous();                      // [1, K, C, D] → [rows, K, C, D]
        return new KvCache(_keys.Select(Copy).ToArray(), _values.Select(Copy).ToArray(), Capacity, Length);
    }

    /// <summary>Positions filled in every layer.</summary>
    public long Length { get; private set; }

    /// <summary>Writes <paramref name="k"/>/<paramref name="v"/> [B, K, l, D] after the filled part; returns the filled keys and values including them.</summary>
    internal (Tensor Keys, Tensor Values) Append(int layer, Tensor k, Tensor v)
    {
        var l = k.shape[2];
        if (Length + l > Capacity)
            throw new InvalidOperationException($"KV cache full: {Length} + {l} positions > capacity {Capacity}");
        _keys[layer].narrow(2, Length, l).copy_(k);
        _values[layer].narrow(2, Length, l).copy_(v);
        return (_keys[layer].narrow(2, 0, Length + l), _values[layer].narrow(2, 0, Length + l));
    }

    /// <summary>Called once every layer has appended <paramref name="positions"/> new positions.</summary>
    internal void Advance(long positions) => Length += positions;

    public void Dispose()
    {
        foreach (var t in _keys.Concat(_values)) t.Dispose();
    }
}
