using System.CommandLine;
using MmUpt.Checkpoint;
using MmUpt.Checkpoint.Safetensors;
using MmUpt.Processing.Tokenization;
using MmUpt.Presets;

namespace MmUpt.Cli;

/// <summary><c>mmupt init</c>: writes the embedded random-weight Qwen2.5-VL checkpoint folder.</summary>
public static class InitCommands
{
    public static Command Init()
    {
        var preset = new Option<string>("--preset")
        {
            Description = $"Model size: {string.Join(" | ", CheckpointPreset.All.Select(p => p.Name))}.",
            HelpName = "NAME",
            DefaultValueFactory = _ => "tiny",
        };
        var outDir = CommonOptions.Out("Folder to write the Hugging Face checkpoint into.");
        outDir.Required = true;
        var seed = CommonOptions.Seed();
        seed.DefaultValueFactory = _ => 1;
        var command = new Command("init",
            "Write a random-weight Qwen2.5-VL checkpoint in Hugging Face format (config.json, model.safetensors, " +
            "tokenizer.json, tokenizer_config.json with the chat template, preprocessor_config.json, generation_config.json).\n\n" +
            "Example:\n  mmupt init --preset tiny --out runs/demo/hf --seed 1")
        {
            preset, outDir, seed,
        };
        command.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            CheckpointPreset p;
            try { p = CheckpointPreset.Get(pr.GetValue(preset)!); }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine($"error: --preset: {ex.Message}");
                return Task.FromResult(CliRunner.Usage);
            }
            var dir = pr.GetValue(outDir)!;
            if (OutputTarget.Problem(dir, Written) is { } problem)
            {
                Console.Error.WriteLine($"error: --out: {problem}");
                return Task.FromResult(CliRunner.Usage);
            }
            using var staged = new StagedOutput(dir);
            var config = CheckpointInitializer.Write(p, staged.Stage("checkpoint", dir), pr.GetValue(seed));
            staged.Commit();
            var bytes = Directory.GetFiles(dir, "*.safetensors").Sum(f => new FileInfo(f).Length);
            Console.WriteLine($"wrote {p.Name} checkpoint to {dir}: vocab {config.VocabSize}, hidden {config.HiddenSize}, " +
                              $"{config.NumHiddenLayers} layers, vision depth {config.VisionConfig.Depth}, weights {bytes / 1024.0 / 1024.0:F1} MiB");
            return Task.FromResult(CliRunner.Ok);
        });
        return command;
    }

    // What CheckpointInitializer writes: an existing --out folder holding only these is an earlier init, replaced whole.
    private static readonly HashSet<string> Written =
    [
        Qwen25VLConfigJson.FileName, SafetensorsCheckpoint.SingleFileName, SafetensorsCheckpoint.IndexFileName,
        TokenizerJson.TokenizerFileName, TokenizerJson.ConfigFileName, ImageProcessorConfig.FileName, GenerationConfig.FileName,
    ];
}
