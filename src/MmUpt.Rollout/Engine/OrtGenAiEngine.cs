using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntimeGenAI;
using MmUpt.Processing.Images;
using MmUpt.Processing.Tokenization;
using MmUpt.Contracts.V1;
using MmUpt.Core;
using MmUpt.Data;
using MmUpt.Checkpoint;
using MmUpt.Sampling;

namespace MmUpt.Rollout.Engine;

/// <summary>
/// Samples groups of responses from an exported <c>qwen2_5_vl</c> folder with ORT GenAI 0.18.
/// <para>
/// One group = one generator whose batch holds the prompt G times (ORT GenAI cannot sample several return sequences
/// per prompt). Images are preprocessed by <see cref="QwenImageProcessor"/>, the same code the learner uses, and fed
/// as named tensors, so sampler and learner see identical pixel values and token ids. The behaviour log-probability
/// of each token is <c>log_softmax(logits / T)[token]</c> over the logits the token was sampled from (read right
/// after <c>GenerateNextToken</c>); top-k/top-p truncation is not renormalised into it, as in verl's rollout
/// log-probs. Thread-safe: concurrent calls use separate generators on the shared model.
/// </para>
/// </summary>
public sealed class OrtGenAiEngine : IDisposable
{
    private static readonly FieldInfo GeneratorHandle = typeof(Generator).GetField("_generatorHandle", BindingFlags.NonPublic | BindingFlags.Instance)
        ?? throw new MissingFieldException("Microsoft.ML.OnnxRuntimeGenAI.Generator._generatorHandle (ORT GenAI version changed?)");

    private readonly Model _model;
    private readonly Tokenizer _tokenizer;
    // Prompts are encoded by the learner's tokenizer, not ORT GenAI's: 0.18's ignores tokenizer.json's NFC normaliser
    // and stops at U+0000, so the ids could differ from the ones the learner scores.
    private readonly ByteLevelBpeTokenizer _promptTokenizer;
    private readonly QwenImageProcessor _images;

    private OrtGenAiEngine(string modelDir, Model model, GenAiModelInfo info, QwenImageProcessor images)
    {
        ModelDir = modelDir;
        _model = model;
        _tokenizer = new Tokenizer(model);
        _promptTokenizer = ByteLevelBpeTokenizer.Load(modelDir);
        Info = info;
        _images = images;
    }

    public string ModelDir { get; }

    public GenAiModelInfo Info { get; }

    /// <summary>Loads an exported folder on <paramref name="device"/> (cpu, or cuda:N in a CUDA build).</summary>
    public static OrtGenAiEngine Load(string modelDir, DeviceSpec device)
    {
        var info = GenAiModelInfo.Load(modelDir);
        var images = new QwenImageProcessor(File.Exists(Path.Combine(modelDir, ImageProcessorConfig.FileName))
            ? ImageProcessorConfig.Load(modelDir)
            : new ImageProcessorConfig());
        using var config = new Config(modelDir);
        config.ClearProviders();
        if (device.IsCuda)
        {
            config.AppendProvider("cuda");
            config.SetProviderOption("cuda", "device_id", device.Index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return new OrtGenAiEngine(modelDir, new Model(config), info, images);
    }

    /// <summary>
    /// Tokenizes a rendered prompt (one <c>&lt;|vision_start|&gt;&lt;|image_pad|&gt;&lt;|vision_end|&gt;</c> per image)
    /// and expands each image placeholder to the image's token count.
    /// </summary>
    public PreparedPrompt Prepare(string promptText, IReadOnlyList<byte[]> encodedImages)
    {
        var ids = _promptTokenizer.Encode(promptText);
        if (encodedImages.Count == 0)
        {
            if (Info.ImageTokenId is { } pad && ids.Contains(pad))
            {
                throw new ArgumentException("the prompt has an image placeholder but no image was given");
            }
            return new PreparedPrompt(ids, []);
        }
        var imageToken = Info.ImageTokenId ?? throw new ArgumentException($"{ModelDir} is a text-only model; it cannot take images");
        var placeholders = ids.Count(t => t == imageToken);
        if (placeholders != encodedImages.Count)
        {
            throw new ArgumentException($"the prompt has {placeholders} image placeholder(s) but {encodedImages.Count} image(s) were given");
        }
        var processed = encodedImages.Select(_images.Process).ToList();
        var expanded = new List<int>(ids.Length + processed.Sum(p => p.TokenCount(_images.Config.MergeSize)));
        var next = 0;
        foreach (var id in ids)
        {
            if (id == imageToken)
            {
                expanded.AddRange(Enumerable.Repeat(imageToken, processed[next++].TokenCount(_images.Config.MergeSize)));
            }
            else
            {
                expanded.Add(id);
            }
        }
        return new PreparedPrompt([.. expanded], processed);
    }

    /// <summary>Samples <paramref name="groupSize"/> responses to one prompt in one batched generator.</summary>
    /// <param name="adapters">Loaded weight versions, and the name of the one to use; null runs the exported weights.</param>
    public IReadOnlyList<SampledSequence> Sample(PreparedPrompt prompt, int groupSize, SamplingSettings sampling,
        CancellationToken cancellationToken = default, (Adapters Adapters, string Name)? adapters = null)
    {
        MmUpt.Core.Options.OptionsBinder.Validate(sampling, "sampling");
        if (groupSize is < 1 or > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(groupSize), groupSize, "group size must be in [1, 32] (ORT GenAI's batch limit)");
        }
        var maxLength = prompt.TokenIds.Length + sampling.MaxNewTokens;
        if (maxLength > Info.ContextLength)
        {
            throw new ArgumentException($"prompt ({prompt.TokenIds.Length} tokens) + max_new_tokens ({sampling.MaxNewTokens}) exceeds the context length {Info.ContextLength}");
        }
        using var parameters = new GeneratorParams(_model);
        parameters.SetSearchOption("batch_size", groupSize);
        parameters.SetSearchOption("max_length", maxLength);
        parameters.SetSearchOption("do_sample", true);
        parameters.SetSearchOption("temperature", sampling.Temperature);
        // top_k = 0 with top_p = 1 samples the full distribution (top_k = 0 with top_p = 0 would be greedy: a trap);
        // top_k = 1 is greedy decoding.
        parameters.SetSearchOption("top_k", sampling.TopK);
        parameters.SetSearchOption("top_p", sampling.TopP);
        parameters.SetSearchOption("random_seed", (int)(sampling.Seed & int.MaxValue));
        using var generator = new Generator(_model, parameters);
        if (adapters is { } a)
        {
            generator.SetActiveAdapter(a.Adapters, a.Name);
        }
        using var inputs = new PinnedInputs();
        if (prompt.Images.Count == 0)
        {
            generator.AppendTokens(Enumerable.Repeat(prompt.TokenIds, groupSize).SelectMany(t => t).ToArray());
        }
        else
        {
            OgaNative.Check(OgaNative.OgaGenerator_SetInputs(Handle(generator), inputs.Build(prompt, groupSize)), "SetInputs");
        }
        return Decode(generator, groupSize, sampling, cancellationToken);
    }

    private List<SampledSequence> Decode(Generator generator, int groupSize, SamplingSettings sampling, CancellationToken cancellationToken)
    {
        var tokens = Enumerable.Range(0, groupSize).Select(_ => new List<int>()).ToArray();
        var logProbs = Enumerable.Range(0, groupSize).Select(_ => new List<float>()).ToArray();
        var finished = new bool[groupSize];
        var temperature = (double)sampling.Temperature;
        // ORT GenAI 0.18 does not always report IsDone at max_length, so the step count is bounded here too.
        for (var step = 0; step < sampling.MaxNewTokens && !generator.IsDone() && !finished.All(f => f); step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            generator.GenerateNextToken();
            var next = generator.GetNextTokens();
            using var logits = LastLogits(generator, groupSize);
            for (var b = 0; b < groupSize; b++)
            {
                if (finished[b])
                {
                    continue;
                }
                tokens[b].Add(next[b]);
                logProbs[b].Add(LogProbs.Tempered(logits.Row(b), next[b], temperature));
                finished[b] = Info.EosTokenIds.Contains(next[b]);
            }
        }
        return Enumerable.Range(0, groupSize).Select(b => new SampledSequence([.. tokens[b]], [.. logProbs[b]],
            finished[b] ? FinishReason.Stop : FinishReason.Length, _tokenizer.Decode(tokens[b].ToArray()))).ToList();
    }

    private static IntPtr Handle(Generator generator) => (IntPtr)GeneratorHandle.GetValue(generator)!;

    /// <summary>
    /// The raw logits of each row's last position: <c>GetOutput("logits")</c> is the decoder's own output, [B, S, V] at
    /// prefill and [B, 1, V] after. (<c>OgaGenerator_GetLogits</c> is not used: when sampling, 0.18 returns the search's
    /// buffer after its in-place processing, not the model's logits.)
    /// </summary>
    private static LogitsView LastLogits(Generator generator, int batch) => new(generator.GetOutput("logits"), batch);

    public Adapters CreateAdapters() => new(_model);

    public void Dispose()
    {
        _tokenizer.Dispose();
        _model.Dispose();
    }
}
