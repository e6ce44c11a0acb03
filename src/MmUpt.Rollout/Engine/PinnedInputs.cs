using System.Runtime.InteropServices;
using MmUpt.Processing.Images;

namespace MmUpt.Rollout.Engine;

/// <summary>
/// The named input tensors of a batched multimodal prompt, over pinned managed buffers (ORT GenAI wraps them without
/// copying, so they stay pinned until the generator is done): <c>input_ids</c> int32 [G, S], <c>pixel_values</c> fp32
/// [G·P, 1176] (the prompt's images, repeated per row), <c>image_grid_thw</c> int64 [G·I, 3], <c>num_image_tokens</c>
/// int64 [1].
/// </summary>
internal sealed class PinnedInputs : IDisposable
{
    private readonly List<GCHandle> _pins = [];
    private readonly List<IntPtr> _tensors = [];
    private IntPtr _named;

    public IntPtr Build(PreparedPrompt prompt, int groupSize)
    {
        OgaNative.Check(OgaNative.OgaCreateNamedTensors(out _named), "CreateNamedTensors");
        var ids = Enumerable.Repeat(prompt.TokenIds, groupSize).SelectMany(t => t).ToArray();
        Add("input_ids", ids, [groupSize, prompt.TokenIds.Length], OgaNative.Int32);
        IEnumerable<ProcessedImage> rows = Enumerable.Repeat(prompt.Images, groupSize).SelectMany(i => i).ToList();
        var pixels = rows.SelectMany(i => i.PixelValues).ToArray();
        var patchDim = prompt.Images[0].PatchDim;
        Add("pixel_values", pixels, [pixels.Length / patchDim, patchDim], OgaNative.Float32);
        var grids = rows.SelectMany(i => new long[] { i.GridT, i.GridH, i.GridW }).ToArray();
        Add("image_grid_thw", grids, [grids.Length / 3, 3], OgaNative.Int64);
        var imageTokens = (long)groupSize * prompt.Images.Sum(i => i.TokenCount());
        Add("num_image_tokens", new[] { imageTokens }, [1], OgaNative.Int64);
        return _named;
    }

    private void Add<T>(string name, T[] data, long[] shape, int elementType) where T : unmanaged
    {
        var pin = GCHandle.Alloc(data, GCHandleType.Pinned);
        _pins.Add(pin);
        OgaNative.Check(OgaNative.OgaCreateTensorFromBuffer(pin.AddrOfPinnedObject(), shape, (nuint)shape.Length, elementType, out var tensor),
            $"CreateTensorFromBuffer({name})");
        _tensors.Add(tensor);
        OgaNative.Check(OgaNative.OgaNamedTensorsSet(_named, name, tensor), $"NamedTensorsSet({name})");
    }

    public void Dispose()
    {
        if (_named != IntPtr.Zero)
        {
            OgaNative.OgaDestroyNamedTensors(_named);
        }
        foreach (var t in _tensors)
        {
            OgaNative.OgaDestroyTensor(t);
        }
        foreach (var pin in _pins)
        {
            pin.Free();
        }
    }
}
