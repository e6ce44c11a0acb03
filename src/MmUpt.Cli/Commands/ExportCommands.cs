using System.CommandLine;
using System.Diagnostics;
using MmUpt.Checkpoint;
using MmUpt.Onnx;
using MmUpt.Onnx.Export;
using MmUpt.Onnx.Writing;

namespace MmUpt.Cli;

/// <summary><c>mmupt export</c>: HF Qwen2.5-VL checkpoint → ORT GenAI <c>qwen2_5_vl</c> folder.</summary>
public static class ExportCommands
{
    public static Command Export()
    {
        var checkpoint = new Option<string>("--checkpoint")
        {
            Description = "Hugging Face checkpoint folder (config.json, *.safetensors, tokenizer and preprocessor files).",
            HelpName = "HF_DIR",
            Required = true,
        };
        var output = CommonOptions.Out(
            "Folder to write the ORT GenAI model into: written beside it and moved into place at the end; must not be " +
            "inside --checkpoint; a non-empty folder is refused unless --force.");
        output.Required = true;
        var dtype = new Option<ExportDtype>("--dtype")
        {
            Description = "Weight storage: fp32 (default), fp16 or bf16. Compute, inputs and KV cache stay fp32.",
            HelpName = "fp32|fp16|bf16",
            DefaultValueFactory = _ => ExportDtype.Fp32,
        };
        var external = new Option<ExternalDataMode>("--external-data")
        {
            Description = "Weights in '<file>.onnx.data': auto (default, only past 2 GB), always or never.",
            HelpName = "auto|always|never",
            DefaultValueFactory = _ => ExternalDataMode.Auto,
        };
        var contextLength = new Option<int?>("--context-length")
        {
            Description = "genai_config context_length and max_length (default: config.json max_position_embeddings).",
            HelpName = "N",
        };
        var allLogits = new Option<bool>("--all-position-logits")
        {
            Description = "Logits for every position, not just each row's last token (for scoring; huge with a real vocabulary).",
        };
        var textOnly = new Option<bool>("--text-only")
        {
            Description = "Write the text-only variant instead (ORT GenAI type qwen2, one model.onnx, no images; applies adapters).",
        };
        var force = new Option<bool>("--force")
        {
            Description = "Replace a non-empty --out folder as a whole (no stale files of an earlier export remain).",
        };
        var command = new Command("export",
            "Export a Qwen2.5-VL checkpoint to an ONNX Runtime GenAI 0.18 folder: vision, embedding and decoder ONNX files " +
            "(weights as constant initializers, in external data with --external-data always), genai_config.json, processor_config.json and the tokenizer files.\n\n" +
            "Example:\n  mmupt export --checkpoint runs/demo/hf --out runs/demo/onnx --dtype fp32");
        foreach (var o in new Option[] { checkpoint, output, dtype, external, contextLength, allLogits, textOnly, force })
        {
            command.Options.Add(o);
        }
        command.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            var options = new Qwen25VLExportOptions
            {
                Dtype = pr.GetValue(dtype),
                ExternalData = pr.GetValue(external),
                ContextLength = pr.GetValue(contextLength),
                AllPositionLogits = pr.GetValue(allLogits),
                Overwrite = pr.GetValue(force),
            };
            var watch = Stopwatch.StartNew();
            try
            {
                var result = pr.GetValue(textOnly)
                    ? Qwen25VLExporter.ExportTextOnly(pr.GetValue(checkpoint)!, pr.GetValue(output)!, options)
                    : Qwen25VLExporter.Export(pr.GetValue(checkpoint)!, pr.GetValue(output)!, options);
                foreach (var m in result.Models)
                {
                    Console.WriteLine($"{Path.GetFileName(m.Path),-16} {m.ModelBytes + m.DataBytes,14:N0} bytes{(m.DataPath is null ? "" : " (external data)")}");
                }
                Console.WriteLine($"wrote {result.Folder} in {watch.Elapsed.TotalSeconds:F1} s (pad token id {result.PadTokenId})");
                return Task.FromResult(CliRunner.Ok);
            }
            catch (Exception ex) when (ex is CheckpointRejectedException or CheckpointFormatException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return Task.FromResult(CliRunner.Failed);
            }
        });
        return command;
    }
}
