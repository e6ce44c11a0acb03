using k8s.Models;
using MmUpt.Testing;

namespace MmUpt.Deploy.Tests;

/// <summary>
/// The deployment's credentials: every server reads its token (and under components/tls its certificates) from keys of
/// the mmupt-credentials Secret; the replicas take weights only from the learner; with TLS every address is https://
/// and the probes ask over TLS. The certificates of scripts/make-credentials.sh work with the TLS overlay's own commands.
/// </summary>
public sealed class SecurityManifestTests
{
    public static TheoryData<string> Overlays => new() { "cpu", "gpu", "cpu-tls" };

    private const string Prefix = "MMUPT_Security__";

    [Theory, MemberData(nameof(Overlays))]
    public void Servers_read_their_credentials_from_keys_of_the_Secret_and_replicas_take_weights_from_the_learner_only(string overlay)
    {
        var r = Kustomize.Overlay(overlay);
        var secret = CredentialsExample.Load();
        foreach (var subcommand in new[] { "rollout", "vote", "train" })
        {
            var (w, c) = r.Running(subcommand);
            var files = c.Env.Where(e => e.Name.StartsWith(Prefix, StringComparison.Ordinal)).ToList();
            Assert.Contains(files, e => e.Name == Prefix + "TokenFile");
            foreach (var e in files)
            {
                var mount = Mounts.Holding(c, e.Value);
                Assert.True(mount.ReadOnlyProperty, $"{w.Name}: {mount.MountPath} is writable");
                Assert.Equal(secret.Metadata.Name, w.Volume(mount.Name).Secret?.SecretName);
                var key = e.Value[(mount.MountPath.TrimEnd('/').Length + 1)..];
                Assert.True(secret.StringData.ContainsKey(key), $"{w.Name}: {e.Name} = {e.Value}: the Secret has no key {key}");
            }
        }
        var (learner, train) = r.Running("train");
        var weights = Effective(train, ManifestTests.Recipe(r, learner, train), "Train:WeightsSource");
        Assert.Equal(weights, Flags.Required(r.Running("rollout").Container.Args, "--weights-source"));
    }

    [Fact]
    public void With_the_tls_component_every_address_is_https_and_the_probes_ask_over_TLS()
    {
        var r = Kustomize.Overlay("cpu-tls");
        var (learner, train) = r.Running("train");
        var recipe = ManifestTests.Recipe(r, learner, train);
        var rollout = r.Running("rollout").Container;
        foreach (var address in new[]
                 {
                     Effective(train, recipe, "Train:Voting"), Effective(train, recipe, "Train:WeightsSource"), Effective(train, recipe, "Train:Replicas:Dns"),
                     Flags.Required(rollout.Args, "--voting"), Flags.Required(rollout.Args, "--weights-source"),
                 })
        {
            var uri = new Uri(address);
            Assert.Equal("https", uri.Scheme);
            r.Service(uri.Host);   // a Service name: the certificate of make-credentials.sh names them
        }
        foreach (var subcommand in new[] { "rollout", "vote", "train" })
        {
            var (w, c) = r.Running(subcommand);
            foreach (var key in new[] { "Certificate", "Key", "Ca", "ClientCa" }) Assert.Contains(c.Env, e => e.Name == Prefix + key);
            var port = Flags.Required(c.Args, "--port");
            foreach (var probe in new[] { c.StartupProbe, c.ReadinessProbe, c.LivenessProbe }.OfType<V1Probe>())
            {
                Assert.Null(probe.Grpc);   // the kubelet's gRPC probe has no TLS
                Assert.Equal(["dotnet", "/app/mmupt.dll", "status", "--address", $"https://localhost:{port}", "--timeout", "5"], probe.Exec.Command);
                Assert.True(probe.TimeoutSeconds > 5, $"{w.Name}: a probe's timeout must cover a dotnet start and --timeout");
            }
        }
    }

    [Fact]
    public async Task A_server_run_as_the_tls_overlay_runs_it_with_make_credentials_output_passes_its_own_probe()
    {
        var r = Kustomize.Overlay("cpu-tls");
        using var cluster = new TempDir();
        var credentials = Path.Combine(cluster.Path, "credentials");
        var made = await RunAsync("bash", Repository.File("scripts", "make-credentials.sh"), credentials);
        Assert.True(made.ExitCode == 0, made.Output);
        Assert.Equal(CredentialsExample.Load().StringData.Keys.Append("ca.key").Order(), Directory.GetFiles(credentials).Select(Path.GetFileName).Order());

        var pods = new LocalPod(r, cluster.Path) { Credentials = credentials };
        var (voting, vote) = r.Running("vote");
        var (args, env) = pods.Command(voting, vote);
        var port = MetricsScrape.FreePort().ToString();
        args[args.IndexOf("--port") + 1] = port;
        env.Remove("MMUPT_Server__MetricsPort");
        var (server, address) = await Mmupt.StartServerAsync(env, args);
        await using var _ = server;
        Assert.Equal("https", address.Scheme);

        var probe = vote.ReadinessProbe.Exec.Command.Skip(2).Select(a => a.Replace("50052", port)).ToList();
        var asked = await Mmupt.RunAsync(probe, env);
        Assert.True(asked.ExitCode == 0, $"{string.Join(' ', probe)}: {asked}");
        // Without the container's credentials the same probe fails: the port really is TLS with a token.
        var bare = await Mmupt.RunAsync(probe);
        Assert.NotEqual(0, bare.ExitCode);
    }

    /// <summary>A recipe key as the learner sees it: an MMUPT_ variable of the container overrides the --config file.</summary>
    private static string Effective(V1Container train, Dictionary<string, string> recipe, string key) =>
        train.Env.SingleOrDefault(e => e.Name == "MMUPT_" + key.Replace(":", "__"))?.Value ?? recipe[key];

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(start)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (p.ExitCode, await output + await error);
    }
}
