using static TorchSharp.torch;

namespace MmUpt.Model;

/// <summary>
/// The attention segments of the vision tower (windows, or whole images) laid out for batched attention: each of the
/// S segments padded to the longest, Lmax, so attention costs S·Lmax² instead of the P² of a block-diagonal mask over
/// every patch of every image in the batch (P² made a learner micro-batch of 32 images 6× slower than four of 8).
/// Segments are contiguous ranges of the window-ordered patches, given by cumulative lengths (cu_seqlens).
/// Legend: P patches, S segments, Lmax longest segment.
/// </summary>
public sealed class VisionSegments
{
    public VisionSegments(int[] cumulative, Device device)
    {
        var lengths = cumulative.Zip(cumulative.Skip(1), (a, b) => b - a).Where(l => l > 0).ToArray();
        var starts = cumulative.Zip(cumulative.Skip(1), (a, b) => (Start: a, Length: b - a)).Where(s => s.Length > 0).Select(s => s.Start).ToArray();
        Count = lengths.Length;
        Longest = lengths.Length == 0 ? 0 : lengths.Max();
        var gather = new long[Count * Longest];
        var valid = new bool[Count * Longest];
        var slots = new long[lengths.Sum()];
        for (var s = 0; s < Count; s++)
        {
            for (var i = 0; i < lengths[s]; i++)
            {
                gather[s * Longest + i] = starts[s] + i;
                valid[s * Longest + i] = true;
                slots[starts[s] + i] = s * Longest + i;
            }
        }
        Gather = tensor(gather, device: device);                                             // [S·Lmax]
        KeyMask = tensor(valid, device: device).view(Count, 1, 1, Longest);                    // [S, 1, 1, Lmax]
        Slots = tensor(slots, device: device);                                                // [P]
    }

    public int Count { get; }
    public int Longest { get; }

    /// <summary>[S·Lmax] int64: the patch at each padded slot (padding slots read patch 0 and are masked).</summary>
    public Tensor Gather { get; }

    /// <summary>[S, 1, 1, Lmax] bool: true where the slot holds a patch (keys to attend to).</summary>
    public Tensor KeyMask { get; }

    /// <summary>[P] int64: each patch's slot in the padded layout.</summary>
    public Tensor Slots { get; }
}
