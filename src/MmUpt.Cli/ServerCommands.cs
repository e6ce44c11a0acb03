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
            .Flag(new Option<int>("--threads")
                {
                    Description = "ONNX Runtime intra-op threads of the decoder and vision sessions; the embedding's gets one " +
                                  "(default: ONNX Runtime's choice for all three).",
                    HelpName = "N",
                },
                $"{RolloutOptions.Section}:{nameof(RolloutOptions.Threads)}")
            .Flag(new Option<string>("--weights-source")
                {
                    Description = "Accept SyncWeights only from this source: the learner's WeightsService address or the shared weights " +
                                  "folder (default: any source; set it wherever others can reach the port).",
                    HelpName = "URL|DIR",
                },
                $"{RolloutOptions.Section}:{nameof(RolloutOptions.WeightsSource)}")
            .Build();

    public static Command Vote() =>
        new ServerCommand<VotingOptions>("vote",
                "Start the voting service: majority-vote rewards over groups of samples.\n\n" +
                "Example:\n  mmupt vote --port 50052 --mode robust --data runs/voting",
                VotingOptions.Section, VotingServer.DefaultPort, VotingServer.Build)
            .Flag(VoteFlags.Mode("faithful (default, as the original), robust, or random (the control arm: a random sample's answer is the label)."), $"{VotingOptions.Section}:{nameof(VotingOptions.Mode)}")
            .Flag(new Option<string>("--data") { Description = "Folder of the durable log; scored groups survive a crash or restart (default: none, nothing persisted).", HelpName = "DIR" },
                $"{VotingOptions.Section}:{nameof(VotingOptions.DataFolder)}")
            .Build();

    public static Command Learn() =>
        new ServerCommand<LearnerOptions>("learn",
                "Start the learner: GRPO on scored groups from the voting service (or given in-process), checkpoints " +
                "and TensorBoard events in --work, status over LearnerService.GetStatus.\n\n" +
                "Example:\n  mmupt learn --checkpoint runs/demo/hf --work runs/demo/learner --device cuda:0 --port 50053 --voting http://127.0.0.1:50052",
                LearnerOptions.Section, LearnerServer.DefaultPort, LearnerServer.Build)
            .Flag(CommonOptions.Device(), Key(nameof(LearnerOptions.Device)))
            .Flag(new Option<string>("--checkpoint") { Description = "Hugging Face checkpoint folder the policy and reference start from.", HelpName = "HF_DIR" },
                Key(nameof(LearnerOptions.Checkpoint)))
            .Flag(new Option<string>("--work") { Description = "Folder for checkpoints and TensorBoard events.", HelpName = "DIR" },
                Key(nameof(LearnerOptions.Work)))
            .Flag(new Option<int>("--threads") { Description = "Torch intra-op threads (default: torch's choice).", HelpName = "N" },
                Key(nameof(LearnerOptions.Threads)))
            .Flag(new Option<bool>("--resume") { Description = "Continue from the newest checkpoint in --work." },
                Key(nameof(LearnerOptions.Resume)))
            .Flag(new Option<string>("--voting") { Description = "Voting service to take scored groups from (default: none).", HelpName = "URL" },
                Key(nameof(LearnerOptions.VotingAddress)))
            .Build();

    private static string Key(string property) => $"{LearnerOptions.Section}:{property}";
}
