using Microsoft.ML.OnnxRuntimeGenAI;
using MmUpt.Onnx.Export;
using MmUpt.Onnx.Proto;
using MmUpt.Onnx.Tests.Fixtures;
using MmUpt.Onnx.Writing;

namespace MmUpt.Onnx.Tests;

/// <summary>Same checkpoint → byte-identical folder; external data is laid out as the ONNX spec says and loads identically.</summary>
[Collection(ExportedTinyCollection.Name)]
public sealed class ExportDeterminismTests(ExportedTiny tiny)
{
    private static readonly object Init = Genai.Handle;

    [Fact]
    public void Two_exports_of_the_same_checkpoint_are_byte_identical()
    {
        var again = Qwen25VLExporter.Export(tiny.Checkpoint, tiny.NewFolder("again"), ExportedTiny.Options);
        var first = Directory.GetFiles(tiny.Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        var second = Directory.GetFiles(again.Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(first, second);
        Assert.Contains("decoder.onnx", first);
        foreach (var name in first)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(tiny.Folder, name!)).AsSpan()
                .SequenceEqual(File.ReadAllBytes(Path.Combine(again.Folder, name!))), $"{name} differs between two exports");
        }
    }

    [Fact]
    public void External_data_is_aligned_to_4096_and_gives_the_same_logits_as_inline()
    {
        var external = Qwen25VLExporter.Export(tiny.Checkpoint, tiny.NewFolder("external"),
            ExportedTiny.Options with { ExternalData = ExternalDataMode.Always });
        var decoder = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(external.Folder, "decoder.onnx")));
        var dataLength = new FileInfo(Path.Combine(external.Folder, "decoder.onnx.data")).Length;
        var externals = decoder.Graph.Initializer.Where(t => t.DataLocation == TensorProto.Types.DataLocation.External).ToList();
        Assert.NotEmpty(externals);
        long previousEnd = 0;
        foreach (var t in externals)
        {
            var kv = t.ExternalData.ToDictionary(e => e.Key, e => e.Value);
            Assert.Equal("decoder.onnx.data", kv["location"]);
            var offset = long.Parse(kv["offset"]);
            var length = long.Parse(kv["length"]);
            Assert.Equal(0, offset % OnnxModelWriter.Alignment);
            Assert.Equal(t.Dims.Aggregate(4L, (a, b) => a * b), length);
            Assert.True(offset >= previousEnd && offset + length <= dataLength);
            Assert.True(t.RawData.IsEmpty);
            previousEnd = offset + length;
        }
        Assert.Equal(FirstLogits(tiny.Folder), FirstLogits(external.Folder));
    }

    /// <summary>
    /// Decoder and embedding weights are constants by default (ONNX Runtime optimizes around constants better), and graph
    /// inputs too only when asked for (OverridableWeights: ORT adapters, which 0.18's multimodal pipeline ignores). The
    /// vision graph's weights are always graph inputs: ORT GenAI 0.18 does not always give the vision session the
    /// config's <c>session.disable_prepacking</c>, and a pre-packed constant is a copy that a weights version written
    /// into the data files in place would never reach (the rollout worker's model reuse).
    /// </summary>
    [Fact]
    public void Trained_weights_are_constant_initializers_unless_overridable_is_asked_for_except_the_vision_graphs()
    {
        var overridable = Qwen25VLExporter.Export(tiny.Checkpoint, tiny.NewFolder("overridable"),
            ExportedTiny.Options with { OverridableWeights = true });
        foreach (var file in new[] { "vision.onnx", "embedding.onnx", "decoder.onnx" })
        {
            foreach (var (folder, expectInputs) in new[] { (tiny.Folder, file == "vision.onnx"), (overridable.Folder, true) })
            {
                var graph = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(folder, file))).Graph;
                var inputs = graph.Input.Select(i => i.Name).ToHashSet();
                var weights = graph.Initializer.Where(i => !i.Name.StartsWith("const.", StringComparison.Ordinal)).ToList();
                Assert.NotEmpty(weights);
                Assert.All(weights, w => Assert.Equal(expectInputs, inputs.Contains(w.Name)));
            }
        }
    }

    private static float[] FirstLogits(string folder)
    {
        using var model = new GenAiModel(folder);
        using var tokenizer = new Tokenizer(model);
        var prompt = tokenizer.Encode(Prompts.User("same weights"));
        using var p = Genai.Greedy(model, prompt[0].Length + 2);
        using var generator = new Generator(model, p);
        generator.AppendTokenSequences(prompt);
        generator.GenerateNextToken();
        return Genai.Logits(generator).Data;
    }
}
