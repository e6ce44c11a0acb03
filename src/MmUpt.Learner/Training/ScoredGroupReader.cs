using MmUpt.Checkpoint;
using MmUpt.Contracts.V1;
using MmUpt.Processing.Images;
using MmUpt.Processing.Layout;

namespace MmUpt.Learner.Training;

/// <summary>
/// Checks a <see cref="ScoredGroup"/> completely and turns it into a <see cref="PreparedGroup"/>, or throws an
/// <see cref="InvalidGroupException"/> naming the group and the field, before any of it reaches the model: lengths,
/// behaviour log-probs, token ids inside the vocabulary and not never-sampled, finite rewards, weights versions the
/// learner published, one prompt per group, image tokens matching the images.
/// </summary>
public sealed class ScoredGroupReader(Qwen25VLConfig config, QwenImageProcessor? images, Func<ulong, bool> isPublished)
{
    private readonly HashSet<int> _neverSampled = [.. NeverSampledTokens.Ids(config)];

    public PreparedGroup Read(ScoredGroup group)
    {
        var id = group.GroupId;
        if (string.IsNullOrEmpty(id)) throw new InvalidGroupException("(empty)", "group_id", "is empty");
        var trained = group.Samples.Select((s, i) => (s, i)).Where(x => x.s.Trained).ToList();
        if (trained.Count < 2) throw new InvalidGroupException(id, "samples", $"{trained.Count} trained sample(s); GRPO needs at least 2");
        var first = trained[0].s.Sample ?? throw new InvalidGroupException(id, $"samples[{trained[0].i}].sample", "is missing");
        var prompt = first.PromptTokenIds.ToArray();
        var prepared = ReadImages(id, first, prompt);
        var samples = new List<TrainingSample>();
        foreach (var (scored, i) in trained)
        {
            var s = scored.Sample ?? throw new InvalidGroupException(id, $"samples[{i}].sample", "is missing");
            var at = $"samples[{i}]";
            if (s.GroupId != id) throw new InvalidGroupException(id, $"{at}.group_id", $"is \"{s.GroupId}\"");
            if (!s.PromptTokenIds.SequenceEqual(prompt)) throw new InvalidGroupException(id, $"{at}.prompt_token_ids", $"differ from samples[{trained[0].i}]'s (one prompt per group)");
            if (s.ResponseTokenIds.Count == 0) throw new InvalidGroupException(id, $"{at}.response_token_ids", "is empty");
            CheckIds(id, $"{at}.prompt_token_ids", s.PromptTokenIds, allowNeverSampled: true);
            CheckIds(id, $"{at}.response_token_ids", s.ResponseTokenIds, allowNeverSampled: false);
            if (s.BehaviourLogprobs.Count == 0) throw new InvalidGroupException(id, $"{at}.behaviour_logprobs", "is missing");
            if (s.BehaviourLogprobs.Count != s.ResponseTokenIds.Count)
                throw new InvalidGroupException(id, $"{at}.behaviour_logprobs", $"has {s.BehaviourLogprobs.Count} entries, response_token_ids {s.ResponseTokenIds.Count}");
            var bad = s.BehaviourLogprobs.Select((v, j) => (v, j)).FirstOrDefault(x => !float.IsFinite(x.v) || x.v > 1e-4f);
            if (bad != default) throw new InvalidGroupException(id, $"{at}.behaviour_logprobs[{bad.j}]", $"{bad.v} is not a finite log-probability");
            if (!float.IsFinite(scored.Reward)) throw new InvalidGroupException(id, $"{at}.reward", $"{scored.Reward} is not finite");
            if (!isPublished(s.WeightsVersion)) throw new InvalidGroupException(id, $"{at}.weights_version", $"{s.WeightsVersion} was not published by this learner");
            samples.Add(new TrainingSample(id, (int)s.Index, prompt, [.. s.ResponseTokenIds], [.. s.BehaviourLogprobs], scored.Reward, prepared));
        }
        return new PreparedGroup(group, samples);
    }

    private void CheckIds(string id, string field, IReadOnlyList<int> ids, bool allowNeverSampled)
    {
        for (var j = 0; j < ids.Count; j++)
        {
            if (ids[j] < 0 || ids[j] >= config.VocabSize)
                throw new InvalidGroupException(id, $"{field}[{j}]", $"{ids[j]} is outside the vocabulary [0, {config.VocabSize})");
            if (!allowNeverSampled && _neverSampled.Contains(ids[j]))
                throw new InvalidGroupException(id, $"{field}[{j}]", $"{ids[j]} is a never-sampled token (image/video placeholder or vision delimiter)");
        }
    }

    private PromptImages? ReadImages(string id, Sample first, int[] prompt)
    {
        var imageTokens = prompt.Count(t => t == config.ImageTokenId);
        var list = first.Prompt?.Images ?? [];
        if (list.Count == 0)
        {
            return imageTokens == 0 ? null
                : throw new InvalidGroupException(id, "samples[0].prompt.images", $"is empty but prompt_token_ids has {imageTokens} image tokens");
        }
        if (images is null) throw new InvalidGroupException(id, "samples[0].prompt.images", "this learner has no image processor (text-only)");
        var processed = new List<ProcessedImage>();
        for (var k = 0; k < list.Count; k++)
        {
            try
            {
                var bytes = list[k].SourceCase == Image.SourceOneofCase.Content ? list[k].Content.ToByteArray()
                    : File.ReadAllBytes(list[k].Uri.StartsWith("file://", StringComparison.Ordinal) ? new Uri(list[k].Uri).LocalPath : list[k].Uri);
                processed.Add(images.Process(bytes));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidDataException or UriFormatException)
            {
                throw new InvalidGroupException(id, $"samples[0].prompt.images[{k}]", $"cannot be read: {ex.Message}");
            }
        }
        var merge = config.VisionConfig.SpatialMergeSize;
        var need = processed.Sum(p => p.TokenCount(merge));
        if (need != imageTokens)
            throw new InvalidGroupException(id, "samples[0].prompt_token_ids", $"has {imageTokens} image tokens, the {processed.Count} image(s) need {need}");
        var grids = processed.Select(p => new GridThw(p.GridT, p.GridH, p.GridW)).ToList();
        return new PromptImages(processed.SelectMany(p => p.PixelValues).ToArray(), processed[0].PatchDim, grids);
    }
}
