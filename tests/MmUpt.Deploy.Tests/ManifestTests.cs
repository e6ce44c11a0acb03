using k8s.Models;

namespace MmUpt.Deploy.Tests;

/// <summary>
/// Every overlay under deploy/k8s rendered by Kustomize and loaded strictly into Kubernetes' typed models; the checks
/// are the agreements a typo would silently break: ports, probes, selectors, the recipe's addresses, where the flags'
/// paths live, shutdown grace, scrape annotations.
/// </summary>
public sealed class ManifestTests
{
    public static TheoryData<string> Overlays => new() { "cpu", "gpu" };

    private static readonly string[] Servers = ["rollout", "vote", "train"];

    [Theory, MemberData(nameof(Overlays))]
    public void Servers_listen_where_their_probes_and_services_point(string overlay)
    {
        var r = Kustomize.Overlay(overlay);
        foreach (var subcommand in Servers)
        {
            var (workload, c) = r.Running(subcommand);
            var port = int.Parse(Flags.Required(c.Args, "--port"));
            Assert.Equal("0.0.0.0", Flags.Value(c.Args, "--host"));   // the default 127.0.0.1 is unreachable from other pods
            Assert.Equal(port, c.Ports.Single(p => p.Name == "grpc").ContainerPort);
            foreach (var probe in new[] { c.StartupProbe, c.ReadinessProbe, c.LivenessProbe }.OfType<V1Probe>())
            {
                Assert.Equal(port, probe.Grpc?.Port);
            }
            Assert.NotNull(c.ReadinessProbe);
            Assert.NotNull(c.LivenessProbe);
            var services = r.Services.Where(s => r.Selected(s.Spec.Selector).Contains(workload)).ToList();
            Assert.NotEmpty(services);
            foreach (var sp in services.SelectMany(s => s.Spec.Ports))
            {
                // Addresses in the recipe and flags use the Service port, so it is the container's port too.
                Assert.Equal(port, sp.Port);
                Assert.Equal("grpc", sp.TargetPort?.Value);
            }
        }
        foreach (var s in r.Services) Assert.Single(r.Selected(s.Spec.Selector));
    }

    [Theory, MemberData(nameof(Overlays))]
    public void The_recipe_and_the_rollout_flags_name_the_services(string overlay)
    {
        var r = Kustomize.Overlay(overlay);
        var (learner, train) = r.Running("train");
        var recipe = Recipe(r, learner, train);

        var voting = new Uri(recipe["Train:Voting"]);
        var votingService = r.Service(voting.Host);
        Assert.Equal(r.Running("vote").Workload, Assert.Single(r.Selected(votingService.Spec.Selector)));
        Assert.Equal(voting.Port, votingService.Spec.Ports.Single().Port);
        Assert.Equal(recipe["Train:Voting"], Flags.Required(r.Running("rollout").Container.Args, "--voting"));

        // The replicas are found by DNS: a headless Service (one A record per ready pod) over exactly the rollout pods.
        var dns = recipe["Train:Replicas:Dns"].Split(':');
        var rollout = r.Service(dns[0]);
        Assert.Equal("None", rollout.Spec.ClusterIP);
        Assert.NotEqual(true, rollout.Spec.PublishNotReadyAddresses);
        Assert.Equal(r.Running("rollout").Workload, Assert.Single(r.Selected(rollout.Spec.Selector)));
        Assert.Equal(int.Parse(dns[1]), rollout.Spec.Ports.Single().Port);
        Assert.Equal("Deployment", r.Running("rollout").Workload.Kind);

        // Replicas download weights versions from the learner's own WeightsService.
        var weights = new Uri(recipe["Train:WeightsSource"]);
        var learnerService = r.Service(weights.Host);
        Assert.Equal(learner, Assert.Single(r.Selected(learnerService.Spec.Selector)));
        Assert.Equal(Flags.Required(train.Args, "--port"), weights.Port.ToString());
    }

    [Theory, MemberData(nameof(Overlays))]
    public void Paths_the_commands_name_are_mounted_volumes(string overlay)
    {
        var r = Kustomize.Overlay(overlay);
        var (voting, vote) = r.Running("vote");
        Mounts.AssertDurableAndWritable(voting, vote, Flags.Required(vote.Args, "--data"));

        var (learner, train) = r.Running("train");
        var recipe = Recipe(r, learner, train);
        Mounts.AssertDurableAndWritable(learner, train, recipe["Train:Out"]);
        Mounts.Holding(train, recipe["Train:Checkpoint"]);
        foreach (var data in recipe.Where(kv => kv.Key.EndsWith(":Data"))) Mounts.Holding(train, data.Value);

        var (rollouts, rollout) = r.Running("rollout");
        var model = Mounts.Holding(rollout, Flags.Required(rollout.Args, "--model"));
        Assert.True(rollouts.IsPersistent(model.Name));
        // The learner and the replicas start from the same model: one claim.
        Assert.Equal(rollouts.Volume(model.Name).PersistentVolumeClaim.ClaimName,
            learner.Volume(Mounts.Holding(train, recipe["Train:Checkpoint"]).Name).PersistentVolumeClaim.ClaimName);

        foreach (var (w, c) in r.Workloads.SelectMany(w => w.Containers.Select(c => (w, c))))
        {
            Assert.True(c.SecurityContext?.ReadOnlyRootFilesystem, $"{w.Name}/{c.Name}: root file system not read-only");
            Assert.True(w.Pod.SecurityContext?.RunAsNonRoot, $"{w.Name}: not runAsNonRoot");
            Assert.Equal("/tmp", Mounts.Holding(c, "/tmp").MountPath);   // temp files (YAML config, weight staging) need a writable /tmp
        }
    }

    [Theory, MemberData(nameof(Overlays))]
    public void Scrape_annotations_name_the_metrics_port(string overlay)
    {
        var r = Kustomize.Overlay(overlay);
        foreach (var subcommand in Servers)
        {
            var (w, c) = r.Running(subcommand);
            Assert.Equal("true", w.Annotations["prometheus.io/scrape"]);
            Assert.Equal("/metrics", w.Annotations["prometheus.io/path"]);
            var port = int.Parse(w.Annotations["prometheus.io/port"]);
            Assert.Equal(port, c.Ports.Single(p => p.Name == "metrics").ContainerPort);
            Assert.Equal(port.ToString(), c.Env.Single(e => e.Name == "MMUPT_Server__MetricsPort").Value);
        }
        // The network policy admits the pipeline's own pods by a label every pod carries.
        var policy = r.Objects.OfType<V1NetworkPolicy>().Single();
        foreach (var w in r.Workloads.Where(w => w.Kind != "Job"))
        {
            Assert.True(policy.Spec.PodSelector.MatchLabels.All(kv => w.Labels.TryGetValue(kv.Key, out var v) && v == kv.Value), w.Name);
        }
    }

    [Theory, MemberData(nameof(Overlays))]
    public void Termination_grace_covers_the_drain(string overlay)
    {
        var r = Kustomize.Overlay(overlay);
        foreach (var subcommand in new[] { "rollout", "vote" })
        {
            var (w, c) = r.Running(subcommand);
            var drain = TimeSpan.Parse(c.Env.Single(e => e.Name == "MMUPT_Server__ShutdownTimeout").Value).TotalSeconds;
            var preStop = c.Lifecycle?.PreStop?.Sleep?.Seconds ?? 0;
            Assert.True(w.Pod.TerminationGracePeriodSeconds > drain + preStop,
                $"{w.Name}: grace {w.Pod.TerminationGracePeriodSeconds} s ≤ preStop {preStop} s + Server:ShutdownTimeout {drain} s");
        }
        // The learner writes a checkpoint on SIGTERM, and a restarted pod continues from it (without --resume a work
        // folder with checkpoints is refused, and the pod would crash-loop).
        Assert.True(r.Running("train").Workload.Pod.TerminationGracePeriodSeconds >= 300);
        Assert.Contains("--resume", r.Running("train").Container.Args);
    }

    [Theory]
    [InlineData("cpu", "mmupt:cpu", 0)]
    [InlineData("gpu", "mmupt:cuda", 1)]
    public void Engines_get_their_image_and_gpus(string overlay, string image, int gpus)
    {
        var r = Kustomize.Overlay(overlay);
        Assert.All(r.Workloads.SelectMany(w => w.Containers), c => Assert.Equal(image, c.Image));
        foreach (var subcommand in new[] { "rollout", "train" })
        {
            var c = r.Running(subcommand).Container;
            var limit = c.Resources?.Limits?.TryGetValue("nvidia.com/gpu", out var q) == true ? (int)q.ToDecimal() : 0;
            Assert.Equal(gpus, limit);
        }
        Assert.False(r.Running("vote").Container.Resources?.Limits?.ContainsKey("nvidia.com/gpu") ?? false);
    }

    /// <summary>The recipe file the learner's <c>--config</c> names, read from the ConfigMap mounted there.</summary>
    internal static Dictionary<string, string> Recipe(Rendered r, Workload learner, V1Container train)
    {
        var path = Flags.Required(train.Args, "--config");
        var mount = Mounts.Holding(train, path);
        var map = learner.Volume(mount.Name).ConfigMap
            ?? throw new Xunit.Sdk.XunitException($"{path} is not on a ConfigMap volume");
        var key = path[(mount.MountPath.TrimEnd('/').Length + 1)..];
        Assert.True(r.ConfigMap(map.Name).Data.ContainsKey(key), $"ConfigMap {map.Name} has no key {key}");
        return YamlKeys.Flatten(r.ConfigMap(map.Name).Data[key]);
    }
}
