using MmUpt.Checkpoint;
using MmUpt.Processing.Images;
using MmUpt.Checkpoint.Safetensors;
using MmUpt.Onnx.Graph;
using MmUpt.Onnx.Qwen25VL;
using MmUpt.Onnx.Writing;

namespace MmUpt.Onnx.Export;

/// <summary>
/// HF Qwen2.5-VL checkpoint folder → ORT GenAI 0.18 <c>qwen2_5_vl</c> folder: vision.onnx, embedding.onnx, decoder.onnx
/// (every trained weight an overridable initializer, named by <see cref="Qwen25VLWeightMap"/>), genai_config.json,
/// processor_config.json and the tokenizer files. Everything is checked before anything is written; the output depends
/// only on the checkpoint and the options.
/// </summary>
public static class Qwen25VLExporter
{
    public const string TextOnlyFileName = "model.onnx";

    public static Qwen25VLExportResult Export(string checkpointFolder, string outFolder, Qwen25VLExportOptions? options = null)
    {
        options ??= new Qwen25VLExportOptions();
        var checkedInputs = Check(checkpointFolder);
        using var checkpoint = checkedInputs.Weights;
        var (architecture, source, processor, pad) = (checkedInputs.Architecture, checkedInputs.Source, checkedInputs.Processor, checkedInputs.Pad);
        Directory.CreateDirectory(outFolder);
        var models = WriteModels(architecture, source, outFolder, options);
        GenAiConfig.Write(outFolder, GenAiConfig.Build(architecture, Qwen25VLFileNames.Default, pad,
            options.ContextLength ?? architecture.MaxPositionEmbeddings));
        ProcessorConfig.Write(outFolder, processor);
        // The HF preprocessor config travels with the export: the rollout engine preprocesses images with it, through
        // the same code the learner uses, so both see identical pixel values (ORT GenAI's own resize differs on ties).
        File.Copy(Path.Combine(checkpointFolder, ImageProcessorConfig.FileName), Path.Combine(outFolder, ImageProcessorConfig.FileName), overwrite: true);
        return new Qwen25VLExportResult(outFolder, pad, models, CopyTokenizer(checkpointFolder, outFolder));
    }

    /// <summary>
    /// Text-only variant (ORT GenAI type <c>qwen2</c>, one file with the embedding inside): no images, but its generators
    /// apply adapters (<see cref="Qwen25VLAdapterBuilder"/> parameters of the embedding and decoder in one file).
    /// </summary>
    public static Qwen25VLExportResult ExportTextOnly(string checkpointFolder, string outFolder, Qwen25VLExportOptions? options = null)
    {
        options ??= new Qwen25VLExportOptions();
        var checkedInputs = Check(checkpointFolder);
        using var checkpoint = checkedInputs.Weights;
        var a = checkedInputs.Architecture;
        Directory.CreateDirectory(outFolder);
        var map = new Qwen25VLWeightMap(a);
        var model = DecoderGraph.Build(a, g => new WeightBinder(g, map, checkedInputs.Source, options.Dtype), textOnly: true,
            allPositionLogits: options.AllPositionLogits, maskNeverSampled: options.MaskNeverSampledTokens);
        var written = OnnxModelWriter.Write(model, Path.Combine(outFolder, TextOnlyFileName), options.ExternalData);
        GenAiConfig.Write(outFolder, GenAiConfig.BuildTextOnly(a, TextOnlyFileName, checkedInputs.Pad,
            options.ContextLength ?? a.MaxPositionEmbeddings));
        return new Qwen25VLExportResult(outFolder, checkedInputs.Pad, [written], CopyTokenizer(checkpointFolder, outFolder));
    }

    private sealed record CheckedCheckpoint(Qwen25VLArchitecture Architecture, SafetensorsCheckpoint Weights, IWeightSource Source,
        System.Text.Json.Nodes.JsonObject Processor, int Pad);

    private static CheckedCheckpoint Check(string checkpointFolder)
    {
        Qwen25VLConfig config;
        ImageProcessorConfig preprocessor;
        try
        {
            config = Qwen25VLConfigJson.Load(checkpointFolder);
            preprocessor = ImageProcessorConfig.Load(checkpointFolder);
        }
        catch (Exception ex) when (ex is CheckpointFormatException or FileNotFoundException or System.Text.Json.JsonException)
        {
            throw new CheckpointRejectedException(ex.Message);
        }
        var architecture = Qwen25VLArchitectureReader.From(config);
        foreach (var file in TokenizerFiles.Required)
        {
            if (!File.Exists(Path.Combine(checkpointFolder, file)))
            {
                throw new CheckpointRejectedException($"{checkpointFolder} has no {file}");
            }
        }
        var processor = ProcessorConfig.Build(preprocessor, architecture.Vision);
        var pad = ChoosePadToken(architecture, TokenizerFiles.IdCount(Path.Combine(checkpointFolder, "tokenizer.json")));
        var checkpoint = OpenWeights(checkpointFolder);
        try
        {
            var source = new SafetensorsWeightSource(checkpoint);
            CheckWeights(new Qwen25VLWeightMap(architecture), source, architecture.TieWordEmbeddings);
            return new CheckedCheckpoint(architecture, checkpoint, source, processor, pad);
        }
        catch
        {
            checkpoint.Dispose();
            throw;
        }
    }

    private static IReadOnlyList<string> CopyTokenizer(string checkpointFolder, string outFolder)
    {
        var copied = new List<string>();
        foreach (var file in TokenizerFiles.Required.Concat(TokenizerFiles.Optional))
        {
            var from = Path.Combine(checkpointFolder, file);
            if (File.Exists(from))
            {
                File.Copy(from, Path.Combine(outFolder, file), overwrite: true);
                copied.Add(file);
            }
        }
        return copied;
    }

    /// <summary>Writes the three ONNX files only (the weights must already have been checked against the map).</summary>
    public static IReadOnlyList<WrittenModel> WriteModels(Qwen25VLArchitecture a, IWeightSource source, string outFolder,
        Qwen25VLExportOptions options)
    {
        var map = new Qwen25VLWeightMap(a);
        WeightBinder Bind(GraphBuilder g) => new(g, map, source, options.Dtype);
        var files = Qwen25VLFileNames.Default;
        return
        [
            OnnxModelWriter.Write(VisionGraph.Build(a, Bind), Path.Combine(outFolder, files.Vision), options.ExternalData),
            OnnxModelWriter.Write(EmbeddingGraph.Build(a, Bind), Path.Combine(outFolder, files.Embedding), options.ExternalData),
            OnnxModelWriter.Write(DecoderGraph.Build(a, Bind, allPositionLogits: options.AllPositionLogits, maskNeverSampled: options.MaskNeverSampledTokens),
                Path.Combine(outFolder, files.Decoder), options.ExternalData),
        ];
    }

    /// <summary>Every mapped parameter present with its expected shape, and no tensor the export would silently drop.</summary>
    public static void CheckWeights(Qwen25VLWeightMap map, IWeightSource source, bool tiedEmbeddings)
    {
        var stored = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in source.Names)
        {
            if (!stored.TryAdd(Qwen25VLNames.Canonical(name), name))
            {
                throw new CheckpointRejectedException($"tensors '{stored[Qwen25VLNames.Canonical(name)]}' and '{name}' are the same parameter");
            }
        }
        var problems = new List<string>();
        var expected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in map.All)
        {
            if (!expected.Add(m.Parameter))
            {
                continue;
            }
            if (!stored.TryGetValue(m.Parameter, out var name))
            {
                problems.Add($"missing tensor '{m.Parameter}' [{string.Join(",", m.ParameterShape)}]");
            }
            else if (source.Shape(name) is { } shape && !shape.SequenceEqual(m.ParameterShape))
            {
                problems.Add($"tensor '{name}' has shape [{string.Join(",", shape)}], config.json implies [{string.Join(",", m.ParameterShape)}]");
            }
        }
        var unknown = stored.Keys.Where(k => !expected.Contains(k) && !(tiedEmbeddings && k == "lm_head.weight")).ToList();
        if (unknown.Count > 0)
        {
            problems.Add($"{unknown.Count} tensor(s) the Qwen2.5-VL export does not know, e.g. '{unknown[0]}'");
        }
        if (problems.Count > 0)
        {
            throw new CheckpointRejectedException("checkpoint cannot be exported: " + string.Join("; ", problems.Take(5))
                + (problems.Count > 5 ? $"; and {problems.Count - 5} more" : ""));
        }
    }

    /// <summary>
    /// ORT GenAI treats every pad id in a prompt as padding, so the pad must be an id prompts never contain: an embedding
    /// row past the tokenizer's ids (the real Qwen2.5-VL vocab has ~270 of them), else &lt;|vision_pad|&gt;, which neither
    /// the chat template nor the processor writes.
    /// </summary>
    public static int ChoosePadToken(Qwen25VLArchitecture a, int tokenizerIds)
    {
        if (tokenizerIds < a.VocabSize)
        {
            return a.VocabSize - 1;
        }
        return a.VisionPadTokenId is { } vp && vp >= 0 && vp < a.VocabSize && !a.EosTokenIds.Contains(vp)
            ? vp
            : throw new CheckpointRejectedException(
                "no pad token id that prompts never contain: the tokenizer uses every id below vocab_size and config.json has no vision_token_id");
    }

    private static SafetensorsCheckpoint OpenWeights(string folder)
    {
        try
        {
            return SafetensorsCheckpoint.Open(folder);
        }
        catch (CheckpointFormatException ex)
        {
            throw new CheckpointRejectedException(ex.Message);
        }
    }
}
