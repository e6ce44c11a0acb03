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
/// Samples batches of responses from an exported <c>qwen2_5_vl</c> folder with ORT GenAI 0.18.
/// <para>
/// A batch is one generator of up to 32 rows (ORT GenAI cannot sample several return sequences per prompt, so a group
/// of G is its prompt G times; rows of different groups and prompts can share a generator, right-padded). Images are
/// preprocessed by <see cref="QwenImageProcessor"/>, the same code the learner uses, and fed as named tensors, so
/// sampler and learner see identical pixel values and token ids. Tokens are drawn in C# (<see cref="RowSampler"/>,
/// one seeded RNG per row) and forced into the generator (<see cref="BatchDecoder"/>). The behaviour log-probability of
/// each token is <c>log_softmax(logits / T)[token]</c> over the decoder's logits for that step; top-k/top-p truncation
/// and per-request bans are not renormalised into it, as in verl's rollout log-probs (the learner computes the same
/// quantity). Thread-safe: concurrent calls use separate generators on the shared model.
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

    /// <summary>ORT GenAI's batch limit.</summary>
    public const int MaxRows = 32;

    /// <summary>Loads an exported folder on <paramref name="device"/> (cpu, or cuda:N in a CUDA build).</summary>
    /// <param name="configure">Changes to the folder's config before the model is built (a weights version's graphs and data).</param>
    /// <param name="threads">ONNX Runtime intra-op threads of the decoder and vision sessions (the embedding's gets one);
    /// 0 = ONNX Runtime's default for all three (one per physical core as it counts them: one on the 2-vCPU build machine).</param>
    public static OrtGenAiEngine Load(string modelDir, DeviceSpec device, Action<Config>? configure = null, int threads = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        OgaRuntime.Ensure();
        var info = GenAiModelInfo.Load(modelDir);
        var images = new QwenImageProcessor(File.Exists(Path.Combine(modelDir, ImageProcessorConfig.FileName))
            ? ImageProcessorConfig.Load(modelDir)
            : new ImageProcessorConfig());
        using var config = new Config(modelDir);
        configure?.Invoke(config);
        if (threads > 0)
        {
            // The embedding session (one Gather per step) gets one thread: a second pool would spin beside the decoder's
            // after every step and take the core its parallel sections wait for (measured on the small preset, G = 16,
            // decoder at 2 threads: 1.2× the time per group with the embedding at 2 as well).
            string Options(int n) => $"{{\"session_options\":{{\"intra_op_num_threads\":{n}}}}}";
            config.Overlay($"{{\"model\":{{\"decoder\":{Options(threads)},\"embedding\":{Options(1)},\"vision\":{Options(threads)}}}}}");
        }
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
    public PreparedPrompt Prepare(string promptText, IReadOnlyList<byte[]> encodedImages) =>
        PrepareProcessed(promptText, encodedImages.Select(_images.Process).ToList());

    /// <summary>The image processor the prompts' images go through (the learner's).</summary>
    public QwenImageProcessor ImageProcessor => _images;

    /// <summary>As <see cref="Prepare(string, IReadOnlyList{byte[]})"/>, with the images already processed.</summary>
    public PreparedPrompt PrepareProcessed(string promptText, IReadOnlyList<ProcessedImage> processed)
    {
        var ids = _promptTokenizer.Encode(promptText);
        if (ids.Contains(Info.PadTokenId))
        {
            // ORT GenAI treats every pad id as padding (mask 0): the prompt would be silently changed.
            throw new ArgumentException($"the prompt contains the pad token (id {Info.PadTokenId}), which the engine would drop");
        }
        if (processed.Count == 0)
        {
            if (Info.ImageTokenId is { } pad && ids.Contains(pad))
            {
                throw new ArgumentException("the prompt has an image placeholder but no image was given");
            }
            return new PreparedPrompt(ids, []);
        }
        var imageToken = Info.ImageTokenId ?? throw new ArgumentException($"{ModelDir} is a text-only model; it cannot take images");
        var placeholders = ids.Count(t => t == imageToken);
        if (placeholders != processed.Count)
        {
            throw new ArgumentException($"the prompt has {placeholders} image placeholder(s) but {processed.Count} image(s) were given");
        }
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

    /// <summary>
    /// Samples <paramref name="groupSize"/> responses to one prompt in one batched generator; row i draws from
    /// <see cref="RowSampler.RowRandom"/>(seed, i), and the model's end-of-sequence ids end a response.
    /// </summary>
    public IReadOnlyList<SampledSequence> Sample(PreparedPrompt prompt, int groupSize, SamplingSettings sampling,
        CancellationToken cancellationToken = default)
    {
        MmUpt.Core.Options.OptionsBinder.Validate(sampling, "sampling");
        if (groupSize is < 1 or > MaxRows)
        {
            throw new ArgumentOutOfRangeException(nameof(groupSize), groupSize, $"group size must be in [1, {MaxRows}] (ORT GenAI's batch limit)");
        }
        var results = new SampledSequence[groupSize];
        var group = new GroupSampling(sampling, null, Info.EosTokenIds);
        Run(Enumerable.Range(0, groupSize).Select(i => new BatchRow(prompt, group, RowSampler.RowRandom(sampling.Seed, i), cancellationToken,
            r => results[i] = r.Sequence)).ToList());
        cancellationToken.ThrowIfCancellationRequested();
        return results;
    }

    /// <summary>
    /// Runs one batched generator over <paramref name="rows"/> (1 to <see cref="MaxRows"/>, any mix of prompts, right-padded
    /// to the longest; the decoder's KV validity channel keeps padded rows exact). Each row's result goes to its callback the
    /// step it finishes. Blocks the calling thread until every row has finished.
    /// </summary>
    public BatchStats Run(IReadOnlyList<BatchRow> rows)
    {
        if (rows.Count is < 1 or > MaxRows)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), rows.Count, $"a generator holds 1 to {MaxRows} rows");
        }
        var prompts = rows.Select(r => r.Prompt).ToList();
        var width = prompts.Max(p => p.TokenIds.Length);
        var maxLength = width + rows.Max(r => r.Sampling.Settings.MaxNewTokens);
        if (maxLength > Info.ContextLength)
        {
            throw new ArgumentException($"prompt ({width} tokens) + max_new_tokens exceeds the context length {Info.ContextLength}");
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var parameters = new GeneratorParams(_model);
        parameters.SetSearchOption("batch_size", rows.Count);
        parameters.SetSearchOption("max_length", maxLength);
        // Greedy selection of the token RowSampler chose (the only finite logit of its row).
        parameters.SetSearchOption("do_sample", false);
        using var generator = new Generator(_model, parameters);
        using var inputs = new PinnedInputs();
        if (prompts.All(p => p.Images.Count == 0))
        {
            generator.AppendTokens(PinnedInputs.Padded(prompts, Info.PadTokenId, out _));
        }
        else
        {
            OgaNative.Check(OgaNative.OgaGenerator_SetInputs(Handle(generator), inputs.Build(prompts, Info.PadTokenId)), "SetInputs");
        }
        var prefill = clock.Elapsed;
        var decoder = new BatchDecoder(generator, Handle(generator), rows, Info.EosTokenIds.Min(), t => _tokenizer.Decode(t));
        var decode = decoder.Run(prefill, Info.VocabSize);
        return new BatchStats(rows.Count, prompts.Sum(p => (long)p.TokenIds.Length), decoder.Generated, prefill, decode);
    }

    private static IntPtr Handle(Generator generator) => (IntPtr)GeneratorHandle.GetValue(generator)!;

    public void Dispose()
    {
        _tokenizer.Dispose();
        _model.Dispose();
    }
}
