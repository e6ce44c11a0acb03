using MmUpt.Checkpoint;
using MmUpt.Data;
using MmUpt.Learner.Training;
using MmUpt.Processing;
using MmUpt.Processing.Layout;
using MmUpt.Processing.Tokenization;

namespace MmUpt.Learner.Session;

/// <summary>
/// A labelled record as an SFT sample: the prompt exactly as rollouts see it (the prompt template, each image's
/// <c>&lt;|image_pad|&gt;</c> expanded to its merged-token count, the checkpoint's BPE), and the response
/// <c>target</c> with ANSWER replaced by the record's answer, closed by the chat's end token so the model learns to stop.
/// </summary>
public sealed class SftSampleBuilder(Qwen25VLProcessor processor, string target)
{
    private readonly PromptTemplate _template = new();
    private readonly int _end = EndToken(processor);

    public TrainingSample Build(DataRecord record)
    {
        if (record.Answer is null) throw new InvalidDataException($"record {record.Id} has no answer (SFT needs a labelled dataset)");
        var spec = _template.Render(record);
        var images = spec.Images.Select(i => processor.ImageProcessor.Process(i.Bytes)).ToList();
        var merge = processor.Config.VisionConfig.SpatialMergeSize;
        var prompt = processor.Tokenizer.Encode(QwenChatTemplate.ExpandImagePads(spec.Text, [.. images.Select(i => i.TokenCount(merge))]));
        int[] response = [.. processor.Tokenizer.Encode(target.Replace("ANSWER", record.Answer, StringComparison.Ordinal)), _end];
        var pixels = images.Count == 0 ? null
            : new PromptImages([.. images.SelectMany(i => i.PixelValues)], images[0].PatchDim, [.. images.Select(i => new GridThw(i.GridT, i.GridH, i.GridW))]);
        return new TrainingSample(record.Id, 0, prompt, response, [], 0, pixels);
    }

    // <|im_end|> when the rollouts stop on it (Qwen's chat end); otherwise the first stop id of the checkpoint.
    private static int EndToken(Qwen25VLProcessor processor)
    {
        var stops = GenerationConfig.StopTokenIds(processor.Path, processor.Config);
        var imEnd = processor.Tokenizer.AddedTokenId("<|im_end|>");
        return stops.Contains(imEnd) ? imEnd : stops[0];
    }
}
