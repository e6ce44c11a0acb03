using MmUpt.Model;
using MmUpt.Processing.Layout;
using static TorchSharp.torch;

namespace MmUpt.Learner.Training;

/// <summary>
/// The tensors of one forward over B samples, and where each response token is predicted. Either every row whole
/// (<see cref="Inputs"/>: prompt ++ response right-padded to T; response token j of row i is predicted at position
/// P_i − 1 + j, flat index into [B·T]) or, when rows share prompts (a GRPO group's G responses), each distinct prompt
/// once (<see cref="Shared"/>: U prompts, then every row's response after its prompt; token 0 is predicted at the
/// prompt's last position, flat index into the U·P prompt states, token j ≥ 1 at continuation position j − 1, flat
/// index U·P + i·S + j − 1). <see cref="PredictIndex"/> holds those indices, <see cref="ScatterIndex"/> the matching
/// flat indices into the [B, R] response layout. Build inside the micro-step's DisposeScope.
/// Legend: B rows, T tokens, R longest response, N response tokens, U distinct prompts, P longest prompt, S = max(1, R − 1).
/// </summary>
public sealed class MicroBatch
{
    public required IReadOnlyList<TrainingSample> Samples { get; init; }
    /// <summary>Every row whole; null when <see cref="Shared"/> is set.</summary>
    public Qwen25VLInputs? Inputs { get; init; }
    /// <summary>Each distinct prompt once, then the responses after them; null when <see cref="Inputs"/> is set.</summary>
    public SharedPrompts? Shared { get; init; }
    /// <summary>[N] int64 into [B·T], or into [U·P + B·S] when <see cref="Shared"/>.</summary>
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

    /// <param name="sharePrompts">Run each distinct prompt (same ids and the same images) once when some rows share one.</param>
    public static MicroBatch Build(IReadOnlyList<TrainingSample> samples, Device device, bool sharePrompts = false)
    {
        if (sharePrompts)
        {
            var (prompts, rowPrompt) = DistinctPrompts(samples);
            if (prompts.Count < samples.Count) return BuildShared(samples, prompts, rowPrompt, device);
        }
        var b = samples.Count;
        var t = samples.Max(s => s.PromptIds.Length + s.ResponseIds.Length);
        var ids = new long[b * t];
        var attention = new long[b * t];
        for (var i = 0; i < b; i++)
        {
            var s = samples[i];
            s.PromptIds.Select(x => (long)x).Concat(s.ResponseIds.Select(x => (long)x)).ToArray().CopyTo(ids, i * t);
            attention.AsSpan(i * t, s.PromptIds.Length + s.ResponseIds.Length).Fill(1);
        }
        var (pixels, grids) = Pixels(samples, device);
        var inputs = new Qwen25VLInputs(tensor(ids, [b, t], device: device), tensor(attention, [b, t], device: device), pixels, grids);
        return WithResponses(samples, device, (i, j) => (long)i * t + samples[i].PromptIds.Length - 1 + j, inputs, null);
    }

    private static MicroBatch BuildShared(IReadOnlyList<TrainingSample> samples, List<TrainingSample> prompts, long[] rowPrompt, Device device)
    {
        int b = samples.Count, u = prompts.Count;
        var p = prompts.Max(s => s.PromptIds.Length);
        var c = Math.Max(1, samples.Max(s => s.ResponseIds.Length) - 1);
        var promptIds = new long[u * p];
        var promptMask = new long[u * p];
        for (var i = 0; i < u; i++)
        {
            prompts[i].PromptIds.Select(x => (long)x).ToArray().CopyTo(promptIds, i * p);
            promptMask.AsSpan(i * p, prompts[i].PromptIds.Length).Fill(1);
        }
        var ids = new long[b * c];                                    // each response but its last token: the continuation
        var attention = new long[b * c];
        for (var i = 0; i < b; i++)
        {
            var response = samples[i].ResponseIds;
            for (var j = 0; j + 1 < response.Length; j++) (ids[i * c + j], attention[i * c + j]) = (response[j], 1);
        }
        var (pixels, grids) = Pixels(prompts, device);
        var shared = new SharedPrompts(
            new Qwen25VLInputs(tensor(promptIds, [u, p], device: device), tensor(promptMask, [u, p], device: device), pixels, grids),
            tensor(rowPrompt, device: device), tensor(ids, [b, c], device: device), tensor(attention, [b, c], device: device));
        // Token 0 from the prompt's last state, token j ≥ 1 from continuation state j − 1.
        return WithResponses(samples, device,
            (i, j) => j == 0 ? rowPrompt[i] * p + samples[i].PromptIds.Length - 1 : (long)u * p + (long)i * c + j - 1, null, shared);
    }

    // The response layout shared by both forms: each response token's state index (predictAt(row, j)), [B, R] slot and id.
    private static MicroBatch WithResponses(IReadOnlyList<TrainingSample> samples, Device device, Func<int, int, long> predictAt,
        Qwen25VLInputs? inputs, SharedPrompts? shared)
    {
        var b = samples.Count;
        var r = samples.Max(s => s.ResponseIds.Length);
        var mask = new float[b * r];
        var predict = new List<long>();
        var scatter = new List<long>();
        var targets = new List<long>();
        for (var i = 0; i < b; i++)
        {
            for (var j = 0; j < samples[i].ResponseIds.Length; j++)
            {
                predict.Add(predictAt(i, j));
                scatter.Add(i * r + j);
                targets.Add(samples[i].ResponseIds[j]);
                mask[i * r + j] = 1;
            }
        }
        return new MicroBatch
        {
            Samples = samples,
            Inputs = inputs,
            Shared = shared,
            PredictIndex = tensor(predict.ToArray(), device: device),
            ScatterIndex = tensor(scatter.ToArray(), device: device),
            Targets = tensor(targets.ToArray(), device: device),
            ResponseMask = tensor(mask, [b, r], device: device),
            MaxResponse = r,
        };
    }

    // The first sample of each distinct prompt (equal ids, the same images object: a group's samples share it), and per row its index.
    private static (List<TrainingSample> Prompts, long[] RowPrompt) DistinctPrompts(IReadOnlyList<TrainingSample> samples)
    {
        var prompts = new List<TrainingSample>();
        var rowPrompt = new long[samples.Count];
        for (var i = 0; i < samples.Count; i++)
        {
            var s = samples[i];
            var at = prompts.FindIndex(q => ReferenceEquals(q.Images, s.Images) && q.PromptIds.AsSpan().SequenceEqual(s.PromptIds));
            if (at < 0)
            {
                at = prompts.Count;
                prompts.Add(s);
            }
            rowPrompt[i] = at;
        }
        return (prompts, rowPrompt);
    }

    // The pixel rows [P, 1176] of the samples' images in order, and their grids; none when no sample has an image.
    private static (Tensor? Pixels, List<GridThw>? Grids) Pixels(IEnumerable<TrainingSample> samples, Device device)
    {
        var withImages = samples.Where(s => s.Images is not null).Select(s => s.Images!).ToList();
        if (withImages.Count == 0) return (null, null);
        var pixels = cat(withImages.Select(im => tensor(im.PixelValues, [im.Patches, im.PatchDim])).ToList(), 0).to(device);
        return (pixels, withImages.SelectMany(im => im.Grids).ToList());
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

/// <summary>
/// A micro-batch with each distinct prompt once (see <see cref="Qwen25VLForConditionalGeneration.SharedPromptHidden"/>):
/// the U prompts with their images, the prompt of each row [B], and every row's response but its last token as the
/// continuation [B, S] with its mask.
/// </summary>
public sealed record SharedPrompts(Qwen25VLInputs Prompts, Tensor RowPrompt, Tensor ContinuationIds, Tensor ContinuationMask);
