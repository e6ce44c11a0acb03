using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MmUpt.Cli.Train;
using MmUpt.Core.Options;
using MmUpt.Hosting;
using MmUpt.Hosting.Security;
using MmUpt.Learner;
using MmUpt.Training.Guard;
using MmUpt.Training.Loop;

namespace MmUpt.Cli;

/// <summary>
/// <c>mmupt train</c>: a whole recipe (SFT, UPT, eval stages) from one configuration (sections <c>Train</c> and
/// <c>Guard</c>, JSON or YAML), every key also settable as a flag (<c>--set KEY=VALUE</c> for any of them, named
/// flags for the common ones). <c>--dry-run</c> prints the resolved configuration.
/// </summary>
public static class TrainCommands
{
    /// <summary>The learner's port, as <c>mmupt learn</c>.</summary>
    public const int DefaultPort = 50053;

    private static readonly string[] Sections = [TrainOptions.Section, CollapseGuardOptions.Section, LearnerOptions.Section, ServerOptions.Section, SecurityOptions.Section];

    public static Command Train()
    {
        var config = CommonOptions.Config();
        config.Description = "JSON or YAML recipe (sections Train, Guard); MMUPT_Section__Key variables and flags override it.";
        var dryRun = CommonOptions.DryRun();
        var set = new Option<string[]>("--set")
        {
            Description = "Any configuration key, e.g. --set Train:Replicas:HedgeAfter=00:00:30 (repeatable).",
            HelpName = "KEY=VALUE",
            AllowMultipleArgumentsPerToken = false,
        };
        var rollout = new Option<string>("--rollout") { Description = "Rollout replica addresses, comma-separated (Train:Replicas:Addresses).", HelpName = "URLS" };
        var upt = new Option<string>("--upt-data") { Description = "Shortcut for a one-stage recipe: UPT on this unlabelled dataset.", HelpName = "FILE" };
        var flags = new (Option Option, string Key)[]
        {
            (new Option<string>("--checkpoint") { Description = "Starting Hugging Face checkpoint folder.", HelpName = "DIR" }, "Train:Checkpoint"),
            (CommonOptions.Out("Run folder (steps.jsonl, checkpoints, weights versions)."), "Train:Out"),
            (new Option<string>("--voting") { Description = "Voting service address.", HelpName = "URL" }, "Train:Voting"),
            (new Option<string>("--rollout-dns") { Description = "host:port whose addresses are the replicas, re-resolved.", HelpName = "NAME" }, "Train:Replicas:Dns"),
            (new Option<string>("--mode") { Description = "sync (default, faithful) or async.", HelpName = "MODE" }, "Train:Mode"),
            (new Option<int>("--prompts-per-step") { Description = "B, groups per step (default 8).", HelpName = "B" }, "Train:PromptsPerStep"),
            (new Option<int>("--group-size") { Description = "G, responses per prompt (default 8).", HelpName = "G" }, "Train:GroupSize"),
            (new Option<int>("--sync-interval") { Description = "Steps between weight syncs (default 1).", HelpName = "N" }, "Train:SyncInterval"),
            (new Option<int>("--max-staleness") { Description = "Async mode: oldest sample version behind the learner (default 1).", HelpName = "N" }, "Train:MaxStaleness"),
            (new Option<int>("--steps") { Description = "Steps of the --upt-data stage (default 10).", HelpName = "N" }, "Train:Stages:0:Steps"),
            (CommonOptions.Seed(), "Train:Seed"),
            (new Option<bool>("--resume") { Description = "Continue from the newest checkpoint in --out." }, "Learner:Resume"),
            (CommonOptions.Device(), "Learner:Device"),
            (new Option<int>("--threads") { Description = "Torch intra-op threads of the learner (0 = torch's choice).", HelpName = "N" }, "Learner:Threads"),
            (CommonOptions.Host(), "Server:Host"),
            (CommonOptions.Port(DefaultPort), "Server:Port"),
            (CommonOptions.MetricsPort(), "Server:MetricsPort"),
            (new Option<string>("--rollout-file") { Description = "File of replica addresses, one a line, re-read like --rollout-dns (scale by editing it).", HelpName = "FILE" }, "Train:Replicas:File"),
        }.Concat(SecurityFlags.All(serving: true)).ToArray();
        var command = new Command("train",
            "Run a training recipe as the learner process: SFT in-process, UPT by driving rollout replicas and the voting " +
            "service (B prompts per step, G samples each, majority-vote rewards, GRPO, a weights version synced every " +
            "SyncInterval steps), held-out evaluations; writes steps.jsonl, evals.jsonl, run.json, checkpoints and final/ " +
            "under --out. LearnerService and WeightsService listen on --port meanwhile. Ctrl-C checkpoints; --resume continues.\n\n" +
            "Example:\n  mmupt train --checkpoint runs/demo/sft/final --upt-data runs/demo/data/upt.jsonl --steps 20 " +
            "--rollout http://127.0.0.1:50051,http://127.0.0.1:50061 --voting http://127.0.0.1:50052 --out runs/train")
        {
            config, dryRun, set, rollout, upt,
        };
        foreach (var (option, _) in flags) command.Options.Add(option);
        command.SetAction(async (parsed, ct) =>
        {
            var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var (option, key) in flags)
            {
                var r = parsed.GetResult(option);
                if (r is not null && !r.Implicit) values[key] = Convert.ToString(r.GetValueOrDefault<object?>(), CultureInfo.InvariantCulture);
            }
            if (parsed.GetValue(upt) is { } data)
            {
                values["Train:Stages:0:Kind"] = nameof(StageKind.Upt);
                values["Train:Stages:0:Data"] = data;
            }
            if (parsed.GetValue(rollout) is { } list)
            {
                var addresses = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                for (var i = 0; i < addresses.Length; i++) values[$"Train:Replicas:Addresses:{i}"] = addresses[i];
            }
            foreach (var pair in parsed.GetValue(set) ?? [])
            {
                var eq = pair.IndexOf('=');
                if (eq <= 0) return await CliRunner.UsageAsync($"--set: '{pair}' is not KEY=VALUE");
                values[pair[..eq]] = pair[(eq + 1)..];
            }
            var file = parsed.GetValue(config);
            string? yamlJson = null;
            try
            {
                if (YamlConfig.IsYaml(file)) file = yamlJson = YamlConfig.ToJsonFile(file!);
                var configuration = ConfigurationLoader.Load(file, Sections, values);
                var train = OptionsBinder.Bind<TrainOptions>(configuration, TrainOptions.Section);
                var guard = OptionsBinder.Bind<CollapseGuardOptions>(configuration, CollapseGuardOptions.Section);
                var learner = OptionsBinder.Bind<LearnerOptions>(configuration, LearnerOptions.Section);
                var server = OptionsBinder.Bind(configuration, ServerOptions.Section, new ServerOptions { Port = DefaultPort });
                var security = OptionsBinder.Bind(configuration, SecurityOptions.Section, new SecurityOptions());
                if (parsed.GetValue(dryRun))
                {
                    var resolved = new Dictionary<string, object>
                    {
                        [TrainOptions.Section] = train, [CollapseGuardOptions.Section] = guard, [LearnerOptions.Section] = learner, [ServerOptions.Section] = server,
                        [SecurityOptions.Section] = security,   // the token itself redacted
                    };
                    Console.WriteLine(JsonSerializer.Serialize(resolved, new JsonSerializerOptions
                    {
                        WriteIndented = true,
                        Converters = { new JsonStringEnumConverter() },
                    }));
                    return CliRunner.Ok;
                }
                return await TrainRunner.RunAsync(train, guard, learner, server, security, ct);
            }
            catch (OptionsException ex)
            {
                var flag = flags.FirstOrDefault(f => string.Equals(f.Key, ex.Key, StringComparison.OrdinalIgnoreCase)).Option;
                return await CliRunner.UsageAsync(flag is null ? ex.Message : $"{flag.Name} ({ex.Key}): {ex.Detail}");
            }
            finally
            {
                if (yamlJson is not null) File.Delete(yamlJson);
            }
        });
        return command;
    }
}
