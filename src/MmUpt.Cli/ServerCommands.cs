using System.CommandLine;
using MmUpt.Learner;
using MmUpt.Rollout;
using MmUpt.Voting;

namespace MmUpt.Cli;

/// <summary>The three server subcommands: <c>rollout</c>, <c>vote</c>, <c>learn</c>.</summary>
public static class ServerCommands
{
    public static Command Rollout() =>
        new ServerCommand<RolloutOptions>("rollout",
                "Start a rollout worker: ORT GenAI batched sampling, samples streamed to the voting service.\n\n" +
                "Example:\n  mmupt rollout --model runs/demo/onnx --device cuda:1 --port 50051 --voting http://127.0.0.1:50052",
                RolloutOptions.Section, RolloutServer.DefaultPort, RolloutServer.Build)
            .Flag(CommonOptions.Device(), $"{RolloutOptions.Section}:{nameof(RolloutOptions.Device)}")
            .Flag(new Option<string>("--model") { Description = "Exported ORT GenAI model folder (mmupt export).", HelpName = "DIR" },
                $"{RolloutOptions.Section}:{nameof(RolloutOptions.Model)}")
            .Flag(new Option<string>("--voting") { Description = "Voting service address (default http://127.0.0.1:50052).", HelpName = "URL" },
                $"{RolloutOptions.Section}:{nameof(RolloutOptions.VotingAddress)}")
            .Build();

    public static Command Vote() =>
        new ServerCommand<VotingOptions>("vote",
                "Start the voting service: majority-vote rewards over groups of samples.\n\n" +
                "Example:\n  mmupt vote --port 50052 --mode robust --data runs/voting",
                VotingOptions.Section, VotingServer.DefaultPort, VotingServer.Build)
            .Flag(VoteFlags.Mode("faithful (default, as the original) or robust."), $"{VotingOptions.Section}:{nameof(VotingOptions.Mode)}")
            .Flag(new Option<string>("--data") { Description = "Folder of the durable log; scored groups survive a crash or restart (default: none, nothing persisted).", HelpName = "DIR" },
                $"{VotingOptions.Section}:{nameof(VotingOptions.DataFolder)}")
            .Build();

    public static Command Learn() =>
        new ServerCommand<LearnerOptions>("learn",
                "Start the learner (status only until the GRPO learner lands).\n\n" +
                "Example:\n  mmupt learn --device cuda:0 --port 50053",
                LearnerOptions.Section, LearnerServer.DefaultPort, LearnerServer.Build)
            .Flag(CommonOptions.Device(), $"{LearnerOptions.Section}:{nameof(LearnerOptions.Device)}")
            .Build();
}
