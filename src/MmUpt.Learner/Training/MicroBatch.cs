using MmUpt.Model;
using MmUpt.Processing.Layout;
using static TorchSharp.torch;

namespace MmUpt.Learner.Training;

/// <summary>
/// The tensors of one forward over B samples: prompt ++ response right-padded to T, and where each response token is
/// predicted. Response token j of row i is predicted at position P_i − 1 + j; <see cref="PredictIndex"/> holds those
/// flat indices into [B·T], <see cref="ScatterIndex"/> the matching flat indices into the [B, R] response layout.
/// Build inside the micro-step's DisposeScope. Legend: B rows, T tokens, R longest response, N response tokens.
/// </summary>
public sealed class MicroBatch
{
    public required IReadOnlyList<TrainingSample> Samples { get; init; }
    public required Qwen25VLInputs Inputs { get; init; }
    /// <summary>[N] int64 into [B·T].</summary>
    public required Tensor PredictIndex { get; init; }
    /// <summary>[N] int64 into [B·R].</summary>
    public required Tensor ScatterIndex { get; init; }
    /// <summary>[N] int64 response token ids.</summary>
    public required Tensor Targets { get; init; }
    /// <summary>[B, R] 1 on response tokens.</summary>
    public required Tensor ResponseMask { get; init; }
    public required int MaxResponse { get; init; }

    public int Rows => Samples.Count;

    public long Tokens => Samples.Sum(s => (long)s.PromptIds.Length + s.ResponseIds.Length);

    public static MicroBatch Build(IReadOnlyList<TrainingSample> samples, Device device)
    {
        var b = samples.Count;
        var t = samples.Max(s => s.PromptIds.Length + s.ResponseIds.Length);
        var r = samples.Max(s => s.ResponseIds.Length);
        var ids = new long[b * t];
        var attention = new long[b * t];
        var mask = new float[b * r];
        var predict = new List<long>();
        var scatter = new List<long>();
        var targets = new List<long>();
        for (var i = 0; i < b; i++)
        {
            var s = samples[i];
            var p = s.PromptIds.Length;
            for (var k = 0; k < p; k++) ids[i * t + k] = s.PromptIds[k];
            for (var j = 0; j < s.ResponseIds.Length; j++)
            {
                ids[i * t + p + j] = s.ResponseIds[j];
                predict.Add(i * t + p - 1 + j);
                scatter.Add(i * r + j);
                targets.Add(s.ResponseIds[j]);
                mask[i * r + j] = 1;
            }
            for (var k = 0; k < p + s.ResponseIds.Length; k++) attention[i * t + k] = 1;
        }
        var withImages = samples.Where(s => s.Images is not null).Select(s => s.Images!).ToList();
        Tensor? pixels = null;
        List<GridThw>? grids = null;
        if (withImages.Count > 0)
        {
            pixels = cat(withImages.Select(im => tensor(im.PixelValues, [im.Patches, im.PatchDim])).ToList(), 0).to(device); // [P, 1176]
            grids = withImages.SelectMany(im => im.Grids).ToList();
        }
        return new MicroBatch
        {
            Samples = samples,
            Inputs = new Qwen25VLInputs(tensor(ids, [b, t], device: device), tensor(attention, [b, t], device: device), pixels, grids),
            PredictIndex = tensor(predict.ToArray(), device: device),
            ScatterIndex = tensor(scatter.ToArray(), device: device),
            Targets = tensor(targets.ToArray(), device: device),
            ResponseMask = tensor(mask, [b, r], device: device),
            MaxResponse = r,
        };
    }

    /// <summary>Per-sample float arrays (old, reference or behaviour log-probs) in the [B, R] layout, zero on padding.</summary>
    public Tensor Padded(Func<TrainingSample, float[]> values, Device device)
    {
        var r = MaxResponse;
        var flat = new float[Rows * r];
        for (var i = 0; i < Rows; i++) values(Samples[i]).CopyTo(flat, i * r);
        return tensor(flat, [Rows, r], device: device);
    }

    /// <summary>[B, R] → per-sample arrays of the response tokens.</summary>
    public float[][] Unpad(Tensor padded)
    {
        var flat = padded.detach().to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
        return Samples.Select((s, i) => flat.AsSpan(i * MaxResponse, s.ResponseIds.Length).ToArray()).ToArray();
    }
}
