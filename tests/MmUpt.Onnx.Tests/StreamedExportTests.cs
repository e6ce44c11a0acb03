using Google.Protobuf;
using Microsoft.ML.OnnxRuntimeGenAI;
using MmUpt.Checkpoint;
using MmUpt.Checkpoint.Safetensors;
using MmUpt.Onnx.Export;
using MmUpt.Onnx.Graph;
using MmUpt.Onnx.Proto;
using MmUpt.Onnx.Qwen25VL;
using MmUpt.Onnx.Tests.Fixtures;
using MmUpt.Onnx.Writing;

namespace MmUpt.Onnx.Tests;

/// <summary>
/// The export streams one tensor at a time (read, lay out, encode, write). What it writes is still what the whole-message
/// writer wrote: each .onnx file is exactly Google.Protobuf's serialisation of its ModelProto, every weight holds the
/// checkpoint tensor laid out by an independent transpose, and sharded, single-file and bf16 checkpoints of the same
/// values give byte-identical folders whose ORT GenAI logits equal the TorchSharp model's.
/// </summary>
[Collection(ExportedTinyCollection.Name)]
public sealed class StreamedExportTests(ExportedTiny tiny)
{
    private static readonly object Init = Genai.Handle;
    private static readonly string[] Graphs = ["vision.onnx", "embedding.onnx", "decoder.onnx"];

    [Theory]
    [InlineData(ExternalDataMode.Auto)]
    [InlineData(ExternalDataMode.Always)]
    public void Each_file_is_protobufs_own_serialisation_and_holds_the_laid_out_checkpoint_tensors(ExternalDataMode mode)
    {
        var folder = Qwen25VLExporter.Export(tiny.Checkpoint, tiny.NewFolder($"streamed-{mode}"),
            ExportedTiny.Options with { ExternalData = mode }).Folder;
        var map = new Qwen25VLWeightMap(tiny.Config);
        using var checkpoint = SafetensorsCheckpoint.Open(tiny.Checkpoint);
        var checkedWeights = 0;
        foreach (var file in Graphs)
        {
            var bytes = File.ReadAllBytes(Path.Combine(folder, file));
            var proto = ModelProto.Parser.ParseFrom(bytes);
            Assert.True(bytes.AsSpan().SequenceEqual(proto.ToByteArray()), $"{file} is not Google.Protobuf's serialisation of its message");
            foreach (var t in proto.Graph.Initializer.Where(t => !t.Name.StartsWith("const.", StringComparison.Ordinal)))
            {
                var m = map.ForOnnx(t.Name);
                var expected = Transposed(m, checkpoint.ReadFloat32(CheckpointName(checkpoint, m.Parameter)));
                Assert.True(Data(folder, t).SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.AsBytes(expected.AsSpan())), $"{file}: {t.Name}");
                checkedWeights++;
            }
        }
        Assert.Equal(map.All.Count, checkedWeights);
    }

    [Fact]
    public void Sharded_single_file_and_bf16_checkpoints_export_to_the_same_files_and_the_torchsharp_logits()
    {
        // The same values three ways: fp32 in one file (the fixture), fp32 in many small shards, and bf16 shards beside
        // their exact fp32 widening (bf16 → fp32 is exact, so both exports must agree to the byte).
        var sharded = CopyWithWeights("sharded", SafetensorsDType.F32, maxShardBytes: 64 << 10, widen: false);
        Assert.True(File.Exists(Path.Combine(sharded, SafetensorsCheckpoint.IndexFileName)));
        Assert.True(Directory.GetFiles(sharded, "model-*.safetensors").Length > 3);
        var bf16 = CopyWithWeights("bf16", SafetensorsDType.BF16, maxShardBytes: 256 << 10, widen: false);
        var widened = CopyWithWeights("bf16-widened", SafetensorsDType.BF16, maxShardBytes: long.MaxValue, widen: true);

        var options = ExportedTiny.Options with { ExternalData = ExternalDataMode.Always };
        string Export(string checkpoint) => Qwen25VLExporter.Export(checkpoint, tiny.NewFolder(Path.GetFileName(checkpoint) + "-onnx"), options).Folder;
        var single = Export(CopyWithWeights("single", SafetensorsDType.F32, long.MaxValue, widen: false));
        AssertSameFiles(single, Export(sharded));
        AssertSameFiles(Export(widened), Export(bf16));

        using var model = new GenAiModel(Path.Combine(tiny.Root, "sharded-onnx"));
        using var tokenizer = new Tokenizer(model);
        var prompt = tokenizer.Encode(Prompts.User("how many circles are there?"));
        using var p = Genai.Greedy(model, prompt[0].Length + 1);
        using var generator = new Generator(model, p);
        generator.AppendTokenSequences(prompt);
        generator.GenerateNextToken();
        var reference = TorchReference.Logits(sharded, [prompt[0].ToArray().Select(t => (long)t).ToArray()]);
        Assert.True(TorchReference.RelativeError(Genai.Logits(generator).Data, reference) <= 1e-4);
    }

    /// <summary>A copy of the fixture checkpoint with its weights stored as <paramref name="dtype"/> (widened back to fp32 when asked).</summary>
    private string CopyWithWeights(string name, SafetensorsDType dtype, long maxShardBytes, bool widen)
    {
        var folder = tiny.NewFolder(name);
        Directory.CreateDirectory(folder);
        foreach (var f in Directory.GetFiles(tiny.Checkpoint).Where(f => !f.Contains(".safetensors", StringComparison.Ordinal)))
        {
            File.Copy(f, Path.Combine(folder, Path.GetFileName(f)));
        }
        using var source = SafetensorsCheckpoint.Open(tiny.Checkpoint);
        var tensors = source.Names.Order(StringComparer.Ordinal).Select(n =>
        {
            var stored = ElementConversions.FromFloat32(source.ReadFloat32(n), dtype);
            var values = widen ? ElementConversions.FromFloat32(ElementConversions.ToFloat32(stored, dtype, n), SafetensorsDType.F32) : stored;
            return SafetensorsTensor.FromBytes(n, widen ? SafetensorsDType.F32 : dtype, source.Info(n).Shape, values);
        }).ToList();
        SafetensorsCheckpoint.Save(folder, tensors, maxShardBytes);
        return folder;
    }

    private static void AssertSameFiles(string expected, string actual)
    {
        var names = Directory.GetFiles(expected).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(names, Directory.GetFiles(actual).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray());
        foreach (var n in names)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(expected, n!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(actual, n!))),
                $"{n} differs between {expected} and {actual}");
        }
    }

    private static string CheckpointName(SafetensorsCheckpoint checkpoint, string canonical) =>
        checkpoint.Names.Single(n => WeightNames.ToCanonical(n) == canonical);

    /// <summary>
    /// The ONNX layout of an HF tensor, by the definition: a transposed ONNX [in, out] element (c, r) = HF [out, in]
    /// element (r, c); the other layouts keep the order.
    /// </summary>
    private static float[] Transposed(WeightMapping m, float[] hf)
    {
        if (m.Layout is WeightLayout.AsIs or WeightLayout.Column)
        {
            return hf;
        }
        var rows = (int)m.ParameterShape[0];
        var cols = hf.Length / rows;
        var onnx = new float[hf.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
            {
                onnx[c * rows + r] = hf[r * cols + c];
            }
        }
        return onnx;
    }

    /// <summary>An initializer's bytes, inline or from its external data file.</summary>
    private static byte[] Data(string folder, TensorProto t)
    {
        if (t.DataLocation != TensorProto.Types.DataLocation.External)
        {
            return t.RawData.ToByteArray();
        }
        var kv = t.ExternalData.ToDictionary(e => e.Key, e => e.Value);
        using var file = File.OpenRead(Path.Combine(folder, kv["location"]));
        var bytes = new byte[long.Parse(kv["length"])];
        file.Position = long.Parse(kv["offset"]);
        file.ReadExactly(bytes);
        return bytes;
    }
}
