using System.CommandLine;
using System.Text.Json;
using MmUpt.Learner.Grpo;

namespace MmUpt.Cli;

/// <summary>
/// <c>mmupt grpo-loss</c>: the learner's GRPO loss of one micro-batch from tensors in a JSON file, printed as one JSON
/// object, to check it against other implementations (verl, TRL, EasyR1). Keys: <see cref="GrpoLossJson"/>.
/// </summary>
public static class GrpoLossCommands
{
    public static Command GrpoLoss()
    {
        var command = new Command("grpo-loss",
            "Compute the GRPO loss of one micro-batch and its parts (float64, the learner's own loss code).\n" +
            "Input keys: log_probs [B][L] (required), old_log_probs, ref_log_probs, response_mask [B][L], and advantages " +
            "[B] or [B][L], or rewards [B] with group_ids [B]; optional config {clip_ratio_low, clip_ratio_high, " +
            "clip_ratio_dual, kl_coef, adv_eps}.\n\n" +
            "Example:\n  mmupt grpo-loss --in tensors.json --grad");
        var input = new Option<string>("--in") { Description = "JSON file of tensors.", HelpName = "TENSORS.json", Required = true };
        var grad = new Option<bool>("--grad") { Description = "Also print grad_log_probs = d loss / d log_probs." };
        command.Options.Add(input);
        command.Options.Add(grad);
        command.SetAction(async (pr, ct) =>
        {
            var path = pr.GetValue(input)!;
            if (!File.Exists(path)) return await CliRunner.UsageAsync($"--in: {path} does not exist");
            try
            {
                using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(path, ct));
                var result = GrpoLossJson.Run(doc.RootElement, new GrpoOptions(), pr.GetValue(grad));
                Console.WriteLine(result.ToJsonString());
                return CliRunner.Ok;
            }
            catch (JsonException ex)
            {
                return await CliRunner.UsageAsync($"--in {path}: not JSON ({ex.Message})");
            }
            catch (FormatException ex)
            {
                return await CliRunner.UsageAsync($"--in {path}: {ex.Message}");
            }
        });
        return command;
    }
}
