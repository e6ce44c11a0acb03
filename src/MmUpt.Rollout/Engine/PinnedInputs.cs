using System.Runtime.InteropServices;
using MmUpt.Processing.Images;

namespace MmUpt.Rollout.Engine;

/// <summary>
/// The named input tensors of a batched multimodal prompt, over pinned managed buffers (ORT GenAI wraps them without
/// copying, so they stay pinned until the generator is done): <c>input_ids</c> int32 [B, S] (rows right-padded with the
/// pad id), <c>pixel_values</c> fp32 [ΣP, 1176] (every row's images in row order), <c>image_grid_thw</c> int64 [ΣI, 3],
/// <c>num_image_tokens</c> int64 [1].
/// </summary>
internal sealed class PinnedInputs : IDisposable
{
    private readonly List<GCHandle> _pins = [];
    private readonly List<IntPtr> _tensors = [];
    private IntPtr _named;

    public IntPtr Build(IReadOnlyList<PreparedPrompt> rows, int padId)
    {
        OgaNative.Check(OgaNative.OgaCreateNamedTensors(out _named), "CreateNamedTensors");
        var ids = Padded(rows, padId, out var width);
        Add("input_ids", ids, [rows.Count, width], OgaNative.Int32);
        var images = rows.SelectMany(r => r.Images).ToList();
        var pixels = new float[images.Sum(i => (long)i.PixelValues.Length)];
        var offset = 0;
        foreach (var image in images)   // block copies: a G = 16 group carries its image 16 times
        {
            image.PixelValues.CopyTo(pixels, offset);
            offset += image.PixelValues.Length;
        }
        var patchDim = images[0].PatchDim;
        Add("pixel_values", pixels, [pixels.Length / patchDim, patchDim], OgaNative.Float32);
        var grids = images.SelectMany(i => new long[] { i.GridT, i.GridH, i.GridW }).ToArray();
        Add("image_grid_thw", grids, [grids.Length / 3, 3], OgaNative.Int64);
        Add("num_image_tokens", new[] { (long)images.Sum(i => i.TokenCount()) }, [1], OgaNative.Int64);
        return _named;
    }

    /// <summary>The rows' token ids flattened to [B, S] with S the longest row, right-padded with <paramref name="padId"/>.</summary>
    public static int[] Padded(IReadOnlyList<PreparedPrompt> rows, int padId, out int width)
    {
        width = rows.Max(r => r.TokenIds.Length);
        var ids = new int[rows.Count * width];
        Array.Fill(ids, padId);
        for (var b = 0; b < rows.Count; b++)
        {
            rows[b].TokenIds.CopyTo(ids, b * width);
        }
        return ids;
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
