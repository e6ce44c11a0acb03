using System.CommandLine;
using MmUpt.Checkpoint;
using MmUpt.Checkpoint.Safetensors;
using MmUpt.Processing.Tokenization;
using MmUpt.Presets;

namespace MmUpt.Cli;

/// <summary><c>mmupt init</c>: writes a random-weight Qwen2.5-VL checkpoint folder (embedded tokenizer, or Qwen's real one).</summary>
public static class InitCommands
{
    private static readonly string[] PresetNames = [.. CheckpointPreset.All.Select(p => p.Name), RealVocabPreset.Name];

    public static Command Init()
    {
        var preset = new Option<string>("--preset")
        {
            Description = $"Model size: {string.Join(" | ", PresetNames)}. {RealVocabPreset.Name} is a small model around Qwen's " +
                          "real tokenizer (vocab_size 151936) and needs --tokenizer.",
            HelpName = "NAME",
            DefaultValueFactory = _ => "tiny",
        };
        var tokenizer = new Option<string?>("--tokenizer")
        {
            Description = $"Qwen's tokenizer.json (Qwen2, 2.5 or 3; added tokens that are not Qwen2.5-VL's are dropped). Only with --preset {RealVocabPreset.Name}.",
            HelpName = "FILE",
        };
        var outDir = CommonOptions.Out("Folder to write the Hugging Face checkpoint into.");
        outDir.Required = true;
        var seed = CommonOptions.Seed();
        seed.DefaultValueFactory = _ => 1;
        var command = new Command("init",
            "Write a random-weight Qwen2.5-VL checkpoint in Hugging Face format (config.json, model.safetensors, " +
            "tokenizer.json, tokenizer_config.json with the chat template, preprocessor_config.json, generation_config.json).\n\n" +
            "Example:\n  mmupt init --preset tiny --out runs/demo/hf --seed 1\n" +
            $"  mmupt init --preset {RealVocabPreset.Name} --tokenizer qwen/tokenizer.json --out runs/real/hf")
        {
            preset, tokenizer, outDir, seed,
        };
        command.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            var name = pr.GetValue(preset)!;
            var tokenizerFile = pr.GetValue(tokenizer);
            var dir = pr.GetValue(outDir)!;
            if (OutputTarget.Problem(dir, Written) is { } problem)
            {
                return CliRunner.UsageAsync($"--out: {problem}");
            }
            using var staged = new StagedOutput(dir);
            var target = staged.Stage("checkpoint", dir);
            Qwen25VLConfig config;
            if (name == RealVocabPreset.Name)
            {
                if (tokenizerFile is null) return CliRunner.UsageAsync($"--tokenizer: --preset {RealVocabPreset.Name} needs Qwen's tokenizer.json");
                if (!File.Exists(tokenizerFile)) return CliRunner.UsageAsync($"--tokenizer: {tokenizerFile} does not exist");
                try
                {
                    var (written, dropped) = RealVocabPreset.Write(target, tokenizerFile, pr.GetValue(seed));
                    config = written;
                    if (dropped.Count > 0)
                        Console.WriteLine($"dropped {dropped.Count} added token(s) Qwen2.5-VL does not have: {string.Join(" ", dropped.Select(d => d.Content))}");
                }
                catch (Exception ex) when (ex is CheckpointFormatException or System.Text.Json.JsonException)
                {
                    return CliRunner.UsageAsync($"--tokenizer: {ex.Message}");
                }
            }
            else
            {
                if (tokenizerFile is not null) return CliRunner.UsageAsync($"--tokenizer: only --preset {RealVocabPreset.Name} takes a tokenizer");
                CheckpointPreset p;
                try { p = CheckpointPreset.Get(name); }
                catch (ArgumentException)
                {
                    return CliRunner.UsageAsync($"--preset: unknown preset \"{name}\" (known: {string.Join(", ", PresetNames)})");
                }
                config = CheckpointInitializer.Write(p, target, pr.GetValue(seed));
            }
            staged.Commit();
            var bytes = Directory.GetFiles(dir, "*.safetensors").Sum(f => new FileInfo(f).Length);
            Console.WriteLine($"wrote {name} checkpoint to {dir}: vocab {config.VocabSize}, hidden {config.HiddenSize}, " +
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
