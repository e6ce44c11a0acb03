using Microsoft.ML.OnnxRuntimeGenAI;
using MmUpt.Onnx.AdapterFiles;
using MmUpt.Onnx.Export;
using MmUpt.Onnx.Graph;
using MmUpt.Onnx.Proto;
using MmUpt.Onnx.Qwen25VL;
using MmUpt.Onnx.Tests.Fixtures;

namespace MmUpt.Onnx.Tests;

/// <summary>The .onnx_adapter writer, the learner→ONNX map behind it, and what ORT GenAI 0.18 does with the files.</summary>
[Collection(ExportedTinyCollection.Name)]
public sealed class AdapterTests(ExportedTiny tiny)
{
    private static readonly object Init = Genai.Handle;

    [Fact]
    public void Adapter_file_round_trips_and_is_deterministic()
    {
        var parameters = new[]
        {
            new AdapterParameter("b", [3], TensorProto.Types.DataType.Float, TensorEncoding.EncodeFloats([1f, 2f, 3f], TensorProto.Types.DataType.Float)),
            new AdapterParameter("a", [2, 1], TensorProto.Types.DataType.Bfloat16, TensorEncoding.EncodeFloats([0.5f, -2f], TensorProto.Types.DataType.Bfloat16)),
        };
        var bytes = OnnxAdapterFile.Build(parameters, adapterVersion: 7);
        Assert.Equal(bytes, OnnxAdapterFile.Build(parameters.Reverse(), adapterVersion: 7));
        Assert.Equal("TORT"u8.ToArray(), bytes.AsSpan(4, 4).ToArray());
        var read = OnnxAdapterFile.Read(bytes, out var formatVersion);
        Assert.Equal(1, formatVersion);
        Assert.Equal(["a", "b"], read.Select(p => p.Name));
        Assert.Equal([2L, 1], read[0].Dims);
        Assert.Equal(TensorProto.Types.DataType.Bfloat16, read[0].DataType);
        Assert.Equal(parameters[1].RawData.ToArray(), read[0].RawData.ToArray());
        Assert.Equal(parameters[0].RawData.ToArray(), read[1].RawData.ToArray());
    }

    [Fact]
    public void Tied_embedding_becomes_the_table_and_the_lm_head()
    {
        var config = tiny.Config;
        var embed = new float[config.VocabSize * config.HiddenSize];
        for (var i = 0; i < embed.Length; i++) embed[i] = i;
        var weights = new InMemoryWeights().Add("model.language_model.embed_tokens.weight", [config.VocabSize, config.HiddenSize], embed);
        var built = new Qwen25VLAdapterBuilder(config).Build(weights);
        var table = Assert.Single(built[Qwen25VLGraph.Embedding]);
        var head = Assert.Single(built[Qwen25VLGraph.Decoder]);
        Assert.Equal("model.embed_tokens.weight", table.Name);
        Assert.Equal("lm_head.MatMul.weight", head.Name);
        // The decoder multiplies the head from the left (W·hᵀ): stored [V, H] like the table.
        Assert.Equal([(long)config.VocabSize, config.HiddenSize], head.Dims);
        Assert.Equal(table.RawData.ToArray(), head.RawData.ToArray());
        var headValues = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(head.RawData.Span);
        Assert.Equal(embed[5 * config.HiddenSize + 3], headValues[5 * config.HiddenSize + 3]);
    }

    [Fact]
    public void Adapter_on_the_text_export_gives_exactly_the_logits_of_an_export_of_the_changed_weights()
    {
        var baseFolder = Qwen25VLExporter.ExportTextOnly(tiny.Checkpoint, tiny.NewFolder("text-base")).Folder;
        var (changedCheckpoint, delta) = ChangedWeights.Write(tiny, "changed-hf");
        var changedFolder = Qwen25VLExporter.ExportTextOnly(changedCheckpoint, tiny.NewFolder("text-changed")).Folder;
        var adapter = Path.Combine(tiny.Root, "v1.onnx_adapter");
        new Qwen25VLAdapterBuilder(tiny.Config).WriteSingle(delta, adapter, adapterVersion: 1);

        var reference = PrefillLogits(changedFolder, null);
        var withAdapter = PrefillLogits(baseFolder, adapter);
        var without = PrefillLogits(baseFolder, null);
        Assert.True(Genai.MaxAbsDiff(reference, without) > 1e-3, "the change must be visible");
        Assert.True(Genai.MaxAbsDiff(reference, withAdapter) <= 1e-5, $"adapter logits differ by {Genai.MaxAbsDiff(reference, withAdapter)}");
    }

    /// <summary>
    /// ORT GenAI 0.18 accepts our adapter for a qwen2_5_vl model but its multimodal pipeline does not pass the generator's
    /// active adapter to the vision/embedding/decoder sessions (State::SetActiveAdapter sets run options the sub-states
    /// never use), so VL weight versions need a reload. When this test fails, GenAI has fixed it: switch the rollout to adapters.
    /// </summary>
    [Fact]
    public void Qwen25vl_pipeline_accepts_but_does_not_apply_adapters_in_ortgenai_0_18()
    {
        var (_, delta) = ChangedWeights.Write(tiny, "changed-hf-vl");
        var paths = new Qwen25VLAdapterBuilder(tiny.Config).Write(delta, Path.Combine(tiny.Root, "vl-v1"), 1);
        // Weights an adapter could replace (the default export's are constants, which it cannot).
        var folder = Qwen25VLExporter.Export(tiny.Checkpoint, tiny.NewFolder("vl-overridable"),
            ExportedTiny.Options with { OverridableWeights = true }).Folder;
        var withAdapter = PrefillLogits(folder, paths[Qwen25VLGraph.Decoder]);
        var without = PrefillLogits(folder, null);
        Assert.Equal(without, withAdapter);
    }

    private static float[] PrefillLogits(string folder, string? adapterPath)
    {
        using var model = new GenAiModel(folder);
        using var tokenizer = new Tokenizer(model);
        using var adapters = new Adapters(model);
        var prompt = tokenizer.Encode(Prompts.User("adapter check"));
        using var p = Genai.Greedy(model, prompt[0].Length + 3);
        using var generator = new Generator(model, p);
        if (adapterPath is not null)
        {
            adapters.LoadAdapter(adapterPath, "v1");
            generator.SetActiveAdapter(adapters, "v1");
        }
        generator.AppendTokenSequences(prompt);
        generator.GenerateNextToken();
        var prefill = Genai.Logits(generator).Data;
        generator.GenerateNextToken();
        return [.. prefill, .. Genai.Logits(generator).Data];
    }
}
