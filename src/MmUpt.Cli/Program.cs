using System.CommandLine;
using MmUpt.Cli;

var root = new RootCommand("mmupt: label-free post-training of Qwen2.5-VL by majority-vote GRPO (MM-UPT), " +
                           "as a rollout / voting / learner pipeline over gRPC.")
{
    ServerCommands.Rollout(),
    ServerCommands.Vote(),
    ServerCommands.Learn(),
    InitCommands.Init(),
    ExportCommands.Export(),
    DataCommands.Data(),
    GradingCommands.Grade(),
    GradingCommands.VoteOffline(),
    GrpoLossCommands.GrpoLoss(),
    EvalCommands.Eval(),
    EvalCommands.Synth(),
    TrainCommands.Train(),
    MmUpt.Cli.Demo.DemoCommands.Demo(),
    MmUpt.Cli.Bench.BenchCommands.Bench(),
    StatusCommands.Status(),
};
return await CliRunner.RunAsync(root, args);
