using System.Text.Json.Nodes;
using Grpc.Net.Client;
using MmUpt.Contracts.V1;

namespace MmUpt.Cli.Tests;

/// <summary>
/// The collapse guard end to end, over real processes (a voting service, two rollout replicas and <c>mmupt train</c> on
/// loopback, real engines): a tiny model given an SFT warm start, so that its dev set has accuracy to lose, then a UPT
/// stage whose learning rate wrecks it in one step, with the guard's dev rule on and its default action, rollback. No
/// hook or fake signal: the drop is the model's own, measured by the dev evaluation through the replicas.
/// </summary>
public sealed class CollapseGuardLoopTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(8);

    [Fact]
    public async Task A_dev_set_collapse_is_rolled_back_to_the_last_good_version_on_the_learner_and_every_replica()
    {
        var root = Directory.CreateTempSubdirectory("mmupt-guard-loop-").FullName;
        try
        {
            string In(params string[] parts) => Path.Combine([root, .. parts]);
            await Ok("data", "synth-tasks", "--out", In("data"), "--sft", "1200", "--upt", "40", "--eval", "20", "--dev", "20", "--seed", "1");
            await Ok("init", "--preset", "tiny", "--out", In("init"));
            File.WriteAllText(In("sft.json"), $$"""
                {
                  "Train": { "Checkpoint": "{{In("init")}}", "Out": "{{In("sft")}}", "Seed": 1, "PromptsPerStep": 16,
                             "Stages": [ { "Kind": "Sft", "Data": "{{In("data", "sft.jsonl")}}", "Steps": 60 } ] },
                  "Learner": { "Threads": 1, "Trainer": { "LearningRate": 0.002, "MicroBatchSize": 8 } }
                }
                """);
            await Ok("train", "--config", In("sft.json"), "--port", "0");
            await Ok("export", "--checkpoint", In("sft", "final"), "--out", In("onnx"), "--external-data", "always");

            var (vote, voting) = await Mmupt.StartServerAsync("vote", "--port", "0");
            await using var _ = vote;
            var replicas = new List<(Mmupt Process, Uri Address)>();
            try
            {
                for (var i = 0; i < 2; i++)
                    replicas.Add(await Mmupt.StartServerAsync("rollout", "--port", "0", "--model", In("onnx"), "--voting", voting.ToString().TrimEnd('/')));
                var run = In("upt");
                var addresses = string.Join(", ", replicas.Select(r => $"\"{r.Address.ToString().TrimEnd('/')}\""));
                // Learning rate 0.05 (500× the demo's UPT rate): one Adam step moves every weight by ~0.05, more than
                // the tiny model's whole initial scale. The guard is left at its defaults but for the dev rule's limit.
                File.WriteAllText(In("upt.json"), $$"""
                    {
                      "Train": { "Checkpoint": "{{In("sft", "final")}}", "Out": "{{run}}", "Seed": 1, "Voting": "{{voting.ToString().TrimEnd('/')}}",
                                 "PromptsPerStep": 4, "GroupSize": 4, "MaxNewTokens": 16,
                                 "Replicas": { "Addresses": [ {{addresses}} ] },
                                 "Stages": [ { "Kind": "Upt", "Data": "{{In("data", "upt.jsonl")}}", "Steps": 4 } ],
                                 "Dev": { "Data": "{{In("data", "dev.jsonl")}}", "Every": 1, "Samples": 2 } },
                      "Guard": { "MaxDevAccuracyDrop": 0.02 },
                      "Learner": { "Threads": 1, "Trainer": { "LearningRate": 0.05, "MicroBatchSize": 8 } }
                    }
                    """);
                var (code, stdout, stderr) = await Mmupt.RunAsync("train", "--config", In("upt.json"), "--port", "0");
                Assert.True(code == 0, $"train exited {code}: {stderr}\n{stdout}");

                // The dev measurements the guard read: the stage's start (the SFT weights), then after the wrecking step,
                // more than 2 points under it.
                var dev = File.ReadAllLines(Path.Combine(run, "dev.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
                var devText = string.Join('\n', dev.Select(d => d.ToJsonString()));
                Assert.True(dev.Count == 2, $"expected the start's and step 1's dev measurements: {devText}");
                Assert.True((double)dev[0]["Pass1"]! > 0.05, $"the SFT warm start left nothing to lose on the dev set: {devText}");
                Assert.True((double)dev[1]["Pass1"]! < (double)dev[0]["Pass1"]! - 0.02, $"no dev drop to trigger on: {devText}");
                var good = (ulong)dev[0]["WeightsVersion"]!;

                // Said in run.json, the step record and the log; the stage stopped at the trigger.
                var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "run.json")))!;
                Assert.Equal("guard-stopped", (string)summary["Status"]!);
                Assert.Contains("dev accuracy", (string)summary["Reason"]!);
                Assert.Equal(good, (ulong)summary["RolledBackTo"]!);
                var steps = File.ReadAllLines(Path.Combine(run, "steps.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
                Assert.Single(steps);                                   // stopped at the trigger, not after the 4 steps asked for
                Assert.StartsWith("TRIGGERED", (string)steps[^1]["Guard"]!);
                Assert.Contains($"collapse guard: {(string)summary["Reason"]!}; rolling back to v{good}", stdout);

                // The restored weights went out as a new version (a published file is never rewritten) equal to the good
                // one, every replica serves it, and the final weights are the good version's: here the SFT weights.
                var final = (ulong)summary["FinalVersion"]!;
                Assert.True(final > good);
                var weights = Path.Combine(run, "weights");
                foreach (var file in Directory.GetFiles(Path.Combine(weights, $"v{good}"), "*.data"))
                    Assert.True(File.ReadAllBytes(file).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(weights, $"v{final}", Path.GetFileName(file)))),
                        $"v{final}/{Path.GetFileName(file)} differs from v{good}'s");
                foreach (var (_, address) in replicas)
                {
                    using var channel = GrpcChannel.ForAddress(address);
                    var status = await new RolloutService.RolloutServiceClient(channel).GetStatusAsync(new GetRolloutStatusRequest());
                    Assert.Equal(final, status.ActiveWeightsVersion);
                }
                Assert.True(File.ReadAllBytes(Path.Combine(run, "final", "model.safetensors"))
                        .AsSpan().SequenceEqual(File.ReadAllBytes(In("sft", "final", "model.safetensors"))),
                    "the final weights are not the rolled-back (SFT) weights");
            }
            finally
            {
                foreach (var (p, _) in replicas) await p.DisposeAsync();
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task Ok(params string[] args)
    {
        var (code, _, stderr) = await Mmupt.RunAsync(args);
        Assert.True(code == 0, $"mmupt {string.Join(' ', args)} exited {code}: {stderr}");
    }
}
