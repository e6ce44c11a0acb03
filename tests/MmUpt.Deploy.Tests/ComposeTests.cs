using MmUpt.Testing;

namespace MmUpt.Deploy.Tests;

/// <summary>
/// deploy/compose.yaml (Docker is not needed): the services agree with each other and with the shared recipe, and each
/// service's command is run by the built <c>mmupt</c> with its volumes mapped to local folders.
/// </summary>
public sealed class ComposeTests
{
    private static readonly string Folder = Repository.File("deploy");
    private static readonly IReadOnlyList<ComposeService> Services = ComposeService.Load(Path.Combine(Folder, "compose.yaml"));
    private static readonly string[] Servers = ["rollout", "vote", "train"];

    private static ComposeService Running(string subcommand) => Services.Single(s => s.Command.FirstOrDefault() == subcommand);

    [Fact]
    public void Every_service_runs_the_cpu_image_built_from_the_repository()
    {
        foreach (var s in Services)
        {
            Assert.Equal("mmupt:cpu", s.Image);
            var build = (Dictionary<object, object>)s.Fields["build"];
            Assert.True(File.Exists(Path.Combine(Folder, (string)build["context"], (string)build["dockerfile"])), s.Name);
            Assert.All(s.DependsOn, d => Assert.Contains(Services, o => o.Name == d));
        }
    }

    [Fact]
    public void Addresses_ports_and_health_checks_agree()
    {
        var learner = Running("train");
        var recipeFile = learner.Volumes.Single(v => v.Target == Path.GetDirectoryName(Flags.Required(learner.Command, "--config")) + "/recipe.yaml").Source;
        var recipe = YamlKeys.Flatten(File.ReadAllText(Path.Combine(Folder, recipeFile)));

        var voting = new Uri(recipe["Train:Voting"]);
        Assert.Equal(voting.Host, Running("vote").Name);
        Assert.Equal(voting.Port.ToString(), Flags.Required(Running("vote").Command, "--port"));
        Assert.Equal(recipe["Train:Voting"], Flags.Required(Running("rollout").Command, "--voting"));
        var dns = recipe["Train:Replicas:Dns"].Split(':');
        Assert.Equal(dns[0], Running("rollout").Name);
        Assert.Equal(dns[1], Flags.Required(Running("rollout").Command, "--port"));

        var weights = new Uri(recipe["Train:WeightsSource"]);
        Assert.Equal(weights.Host, learner.Name);
        Assert.Equal(weights.Port.ToString(), Flags.Required(learner.Command, "--port"));
        Assert.Equal(recipe["Train:WeightsSource"], Flags.Required(Running("rollout").Command, "--weights-source"));

        foreach (var s in Servers.Select(Running))
        {
            var port = Flags.Required(s.Command, "--port");
            Assert.Equal("0.0.0.0", Flags.Value(s.Command, "--host"));
            Assert.Equal(["CMD", "dotnet", "/app/mmupt.dll", "status", "--port", port], s.HealthCheck);
            Assert.All(s.Ports, p => Assert.EndsWith($":{port}", p));
        }
        AssertOnNamedVolume(Running("vote"), Flags.Required(Running("vote").Command, "--data"));
        AssertOnNamedVolume(learner, recipe["Train:Out"]);
        Assert.Contains("--resume", learner.Command);   // a restarted container continues from its checkpoints
    }

    [Fact]
    public async Task Every_command_runs_as_written()
    {
        using var machine = new TempDir();
        // One-shot services for real, in file order (init, export, data); then each server resolves its configuration.
        foreach (var s in Services.Where(s => !Servers.Contains(s.Command[0])))
        {
            var run = await Mmupt.RunAsync(Local(s, machine.Path), s.Environment);
            Assert.True(run.ExitCode == 0, $"{s.Name}: mmupt {string.Join(' ', s.Command)}: {run}");
        }
        foreach (var s in Servers.Select(Running))
        {
            var run = await Mmupt.RunAsync([.. Local(s, machine.Path), "--dry-run"], s.Environment);
            Assert.True(run.ExitCode == 0, $"{s.Name}: mmupt {string.Join(' ', s.Command)} --dry-run: {run}");
            // The health check's own command line (nothing listens here, so it reports that; it must not be refused).
            var health = await Mmupt.RunAsync(s.HealthCheck.Skip(3), null);
            Assert.False(health.IsParseError, $"{s.Name} healthcheck: {health}");
        }
    }

    private static List<string> Local(ComposeService s, string root)
    {
        var mounts = s.Volumes.Select(v => (v.Target, v.Source.StartsWith('.') ? Path.Combine(Folder, v.Source) : Path.Combine(root, v.Source)))
            .OrderByDescending(m => m.Target.Length).ToList();
        foreach (var (_, host) in mounts.Where(m => !File.Exists(m.Item2))) Directory.CreateDirectory(host);
        return [.. s.Command.Select(a => LocalPod.Map(a, mounts))];
    }

    private static void AssertOnNamedVolume(ComposeService s, string path)
    {
        var v = s.Volumes.Where(v => path == v.Target || path.StartsWith(v.Target + "/", StringComparison.Ordinal)).MaxBy(v => v.Target.Length);
        Assert.True(v.Source is { Length: > 0 } && !v.Source.StartsWith('.') && !v.ReadOnly, $"{s.Name}: {path} is not on a writable named volume");
    }
}
