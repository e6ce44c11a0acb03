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
/// only on the checkpoint and the options. The folder is written as a temporary sibling and moved into place at the
/// end (<see cref="StagedFolder"/>): a failed export leaves nothing, an output inside the checkpoint is refused, and a
/// non-empty output folder is refused unless <see cref="Qwen25VLExportOptions.Overwrite"/>, which replaces it whole.
/// </summary>
public static class Qwen25VLExporter
{
    public const string TextOnlyFileName = "model.onnx";

    public static Qwen25VLExportResult Export(string checkpointFolder, string outFolder, Qwen25VLExportOptions? options = null)
    {
        options ??= new Qwen25VLExportOptions();
        var checkedInputs = Check(checkpointFolder);
        using var checkpoint = checkedInputs.Weights;
        var (config, source, processor, pad) = (checkedInputs.Config, checkedInputs.Source, checkedInputs.Processor, checkedInputs.Pad);
        using var staged = StagedFolder.Begin(outFolder, checkpointFolder, options.Overwrite);
        var dir = staged.Staging;
        var models = WriteModels(config, source, dir, options);
        GenAiConfig.Write(dir, GenAiConfig.Build(config, Qwen25VLFileNames.Default, pad,
            options.ContextLength ?? config.MaxPositionEmbeddings));
        ProcessorConfig.Write(dir, processor);
        // The HF preprocessor config travels with the export: the rollout engine preprocesses images with it, through
        // the same code the learner uses, so both see identical pixel values (ORT GenAI's own resize differs on ties).
        File.Copy(Path.Combine(checkpointFolder, ImageProcessorConfig.FileName), Path.Combine(dir, ImageProcessorConfig.FileName));
        var copied = CopyTokenizer(checkpointFolder, dir);
        var final = staged.Commit();
        return new Qwen25VLExportResult(final, pad, models.Select(m => MovedTo(m, final)).ToList(), copied);
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
        var c = checkedInputs.Config;
        using var staged = StagedFolder.Begin(outFolder, checkpointFolder, options.Overwrite);
        var dir = staged.Staging;
        var map = new Qwen25VLWeightMap(c);
        var model = DecoderGraph.Build(c, g => new WeightBinder(g, map, checkedInputs.Source, options.Dtype, overridable: true), textOnly: true,
            allPositionLogits: options.AllPositionLogits, maskNeverSampled: options.MaskNeverSampledTokens);
        var written = OnnxModelWriter.Write(model, Path.Combine(dir, TextOnlyFileName), options.ExternalData);
        GenAiConfig.Write(dir, GenAiConfig.BuildTextOnly(c, TextOnlyFileName, checkedInputs.Pad,
            options.ContextLength ?? c.MaxPositionEmbeddings));
        var copied = CopyTokenizer(checkpointFolder, dir);
        var final = staged.Commit();
        return new Qwen25VLExportResult(final, checkedInputs.Pad, [MovedTo(written, final)], copied);
    }

    private sealed record CheckedCheckpoint(Qwen25VLConfig Config, SafetensorsCheckpoint Weights, IWeightSource Source,
        System.Text.Json.Nodes.JsonObject Processor, int Pad);

    /// <summary>config.json (validated), the tokenizer and preprocessor files, and every tensor header checked against the config.</summary>
    private static CheckedCheckpoint Check(string checkpointFolder)
    {
        if (!Directory.Exists(checkpointFolder))
        {
            throw new CheckpointRejectedException($"checkpoint folder {checkpointFolder} does not exist");
        }
        Qwen25VLConfig config;
        ImageProcessorConfig preprocessor;
        try
        {
            config = Qwen25VLConfigJson.Load(checkpointFolder);
            config.Validate(Path.Combine(checkpointFolder, Qwen25VLConfigJson.FileName));
            preprocessor = ImageProcessorConfig.Load(checkpointFolder);
            // The export stops where transformers' generate stops (generation_config.json, then config.json); the
            // config object is this export's own copy, so the merged list only reaches genai_config.json.
            config.EosTokenId = new System.Text.Json.Nodes.JsonArray(
                GenerationConfig.StopTokenIds(checkpointFolder, config).Select(i => (System.Text.Json.Nodes.JsonNode)i).ToArray());
        }
        catch (Exception ex) when (ex is CheckpointFormatException or FileNotFoundException or System.Text.Json.JsonException)
        {
            throw new CheckpointRejectedException(ex.Message);
        }
        foreach (var file in TokenizerFiles.Required)
        {
            if (!File.Exists(Path.Combine(checkpointFolder, file)))
            {
                throw new CheckpointRejectedException($"{checkpointFolder} has no {file}");
            }
        }
        var processor = ProcessorConfig.Build(preprocessor, config.VisionConfig);
        var pad = ChoosePadToken(config, TokenizerFiles.IdCount(Path.Combine(checkpointFolder, "tokenizer.json")));
        var checkpoint = OpenWeights(checkpointFolder);
        try
        {
            Qwen25VLWeightCheck.Run(config, checkpoint, checkpointFolder);
            return new CheckedCheckpoint(config, checkpoint, new SafetensorsWeightSource(checkpoint), processor, pad);
        }
        catch (CheckpointFormatException ex)
        {
            checkpoint.Dispose();
            throw new CheckpointRejectedException(ex.Message);
        }
        catch
        {
            checkpoint.Dispose();
            throw;
        }
    }

    private static WrittenModel MovedTo(WrittenModel m, string folder) => m with
    {
        Path = Path.Combine(folder, Path.GetFileName(m.Path)),
        DataPath = m.DataPath is null ? null : Path.Combine(folder, Path.GetFileName(m.DataPath)),
    };

    private static IReadOnlyList<string> CopyTokenizer(string checkpointFolder, string outFolder)
    {
        var copied = new List<string>();
        foreach (var file in TokenizerFiles.Required.Concat(TokenizerFiles.Optional))
        {
            var from = Path.Combine(checkpointFolder, file);
            if (File.Exists(from))
            {
                File.Copy(from, Path.Combine(outFolder, file));
                copied.Add(file);
            }
        }
        return copied;
    }

    /// <summary>Writes the three ONNX files only (the weights must already have passed <see cref="Qwen25VLWeightCheck"/>).</summary>
    public static IReadOnlyList<WrittenModel> WriteModels(Qwen25VLConfig c, IWeightSource source, string outFolder,
        Qwen25VLExportOptions options) =>
        BuildModels(c, source, options)
            .Select(m => OnnxModelWriter.Write(m.Model, Path.Combine(outFolder, m.File), options.ExternalData))
            .ToList();

    /// <summary>The three graphs (built lazily, one at a time) and their file names; export and weights versions share them.</summary>
    internal static IEnumerable<(string File, OnnxModel Model)> BuildModels(Qwen25VLConfig c, IWeightSource source,
        Qwen25VLExportOptions options)
    {
        var map = new Qwen25VLWeightMap(c);
        WeightBinder Bind(GraphBuilder g) => new(g, map, source, options.Dtype, options.OverridableWeights);
        WeightBinder BindVision(GraphBuilder g) => new(g, map, source, options.Dtype, overridable: true);
        var files = Qwen25VLFileNames.Default;
        yield return (files.Vision, VisionGraph.Build(c, BindVision));
        yield return (files.Embedding, EmbeddingGraph.Build(c, Bind));
        yield return (files.Decoder, DecoderGraph.Build(c, Bind, allPositionLogits: options.AllPositionLogits,
            maskNeverSampled: options.MaskNeverSampledTokens));
    }

    /// <summary>
    /// ORT GenAI treats every pad id in a prompt as padding, so the pad must be an id prompts never contain: an embedding
    /// row past the tokenizer's ids (the real Qwen2.5-VL vocab has ~270 of them), else &lt;|vision_pad|&gt;, which neither
    /// the chat template nor the processor writes.
    /// </summary>
    public static int ChoosePadToken(Qwen25VLConfig a, int tokenizerIds)
    {
        if (tokenizerIds < a.VocabSize)
        {
            return a.VocabSize - 1;
        }
        var vp = a.VisionTokenId;
        return vp >= 0 && vp < a.VocabSize && !a.EosTokenIds().Contains(vp)
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
