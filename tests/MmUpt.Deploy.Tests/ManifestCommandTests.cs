using MmUpt.Testing;

namespace MmUpt.Deploy.Tests;

/// <summary>
/// The commands in the manifests run by the built <c>mmupt</c>, with the container's env and its volumes mapped to
/// local folders: the parser is the real one, so a renamed subcommand or flag fails here, not in the cluster.
/// </summary>
public sealed class ManifestCommandTests
{
    [Fact]
    public async Task The_cpu_overlay_prepares_its_model_and_every_server_accepts_its_configuration()
    {
        var r = Kustomize.Overlay("cpu");
        using var cluster = new TempDir();
        var pods = new LocalPod(r, cluster.Path);

        // The prepare Job for real: the tiny checkpoint, its export and the datasets, in container order.
        var prepare = r.Workload("mmupt-prepare");
        foreach (var c in prepare.Containers)
        {
            var (args, env) = pods.Command(prepare, c);
            var run = await Mmupt.RunAsync(args, env);
            Assert.True(run.ExitCode == 0, $"{prepare.Name}/{c.Name}: mmupt {string.Join(' ', c.Args)}: {run}");
        }

        // Each server resolves its whole configuration (flags, env, the recipe file) against what the Job wrote.
        foreach (var subcommand in new[] { "vote", "rollout", "train" })
        {
            var (w, c) = r.Running(subcommand);
            var (args, env) = pods.Command(w, c);
            var run = await Mmupt.RunAsync([.. args, "--dry-run"], env);
            Assert.True(run.ExitCode == 0, $"{w.Name}: mmupt {string.Join(' ', c.Args)} --dry-run: {run}");
        }

        // The recipe's inputs are the Job's outputs, and the served export can take weights versions (their .onnx.data files).
        var (rollouts, rollout) = r.Running("rollout");
        Assert.NotEmpty(Directory.GetFiles(pods.Local(rollouts, rollout, Flags.Required(rollout.Args, "--model")), "*.onnx.data"));
        var (learner, train) = r.Running("train");
        var recipe = ManifestTests.Recipe(r, learner, train);
        Assert.True(File.Exists(Path.Combine(pods.Local(learner, train, recipe["Train:Checkpoint"]), "config.json")));
        foreach (var data in recipe.Where(kv => kv.Key.EndsWith(":Data")))
        {
            Assert.True(File.Exists(pods.Local(learner, train, data.Value)), $"{data.Key} = {data.Value} is not written by mmupt-prepare");
        }
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cpu-tls")]
    public async Task The_overlay_commands_parse(string overlay)
    {
        // A CPU build refuses --device cuda after parsing, so only the command line is checked here.
        var r = Kustomize.Overlay(overlay);
        using var cluster = new TempDir();
        var pods = new LocalPod(r, cluster.Path);
        // (The prepare Job's commands have no --dry-run; the cpu overlay's test runs them.)
        foreach (var (w, c) in r.Workloads.Where(w => w.Kind != "Job").SelectMany(w => w.Containers.Select(c => (w, c))))
        {
            var (args, env) = pods.Command(w, c);
            var run = await Mmupt.RunAsync([.. args, "--dry-run"], env);
            Assert.False(run.IsParseError, $"{w.Name}/{c.Name}: mmupt {string.Join(' ', c.Args)}: {run}");
        }
    }
}
