using System.Text.RegularExpressions;
using k8s.Models;

namespace MmUpt.Deploy.Tests;

/// <summary>
/// Runs a manifest's container as a local process, the way the kubelet would start it: <c>$(VAR)</c> in args expanded
/// from the container's env, downward-API fields filled, and every mounted volume mapped to a folder under one
/// "cluster" folder — a claim to the same folder for every pod that mounts it, a ConfigMap written out key by key, the
/// credentials Secret as <see cref="Credentials"/> (by default placeholder files under the keys of
/// deploy/k8s/credentials.example.yaml).
/// </summary>
public sealed partial class LocalPod(Rendered cluster, string root)
{
    /// <summary>The folder the credentials Secret is mounted from; null: placeholders.</summary>
    public string? Credentials { get; init; }

    public (List<string> Args, Dictionary<string, string> Env) Command(Workload workload, V1Container container)
    {
        var podName = $"{workload.Name}-0";
        var env = (container.Env ?? []).ToDictionary(e => e.Name, e => e.Value ?? e.ValueFrom?.FieldRef?.FieldPath switch
        {
            "metadata.name" => podName,
            "metadata.namespace" => "mmupt",
            var field => throw new InvalidOperationException($"{workload.Name}/{container.Name}: env {e.Name} from unsupported {field}"),
        });
        var mounts = (container.VolumeMounts ?? []).OrderByDescending(m => m.MountPath.Length)
            .Select(m => (m.MountPath, Host: HostPath(workload, m.Name))).ToList();
        var args = (container.Args ?? []).Select(a => Map(Expand(a, env), mounts)).ToList();
        // Paths in variables (MMUPT_Security__TokenFile) live on mounts too.
        return (args, env.ToDictionary(kv => kv.Key, kv => Map(kv.Value, mounts)));
    }

    /// <summary>The local folder behind a container path, for checks on what a command wrote or reads.</summary>
    public string Local(Workload workload, V1Container container, string path) =>
        Map(path, [.. (container.VolumeMounts ?? []).OrderByDescending(m => m.MountPath.Length).Select(m => (m.MountPath, HostPath(workload, m.Name)))]);

    private string HostPath(Workload workload, string volume)
    {
        string path;
        if (workload.ClaimTemplates.Any(c => c.Metadata.Name == volume))
        {
            path = Path.Combine(root, "claims", $"{volume}-{workload.Name}-0");
        }
        else
        {
            var v = workload.Volume(volume);
            if (v.PersistentVolumeClaim is { } claim) path = Path.Combine(root, "claims", claim.ClaimName);
            else if (v.EmptyDir is not null) path = Path.Combine(root, "empty", workload.Name, volume);
            else if (v.ConfigMap is { } map) path = WriteConfigMap(map.Name);
            else if (v.Secret is { } secret) path = Credentials ?? WritePlaceholders(secret.SecretName);
            else throw new InvalidOperationException($"{workload.Name}: volume {volume} is of a kind these tests do not map");
        }
        Directory.CreateDirectory(path);
        return path;
    }

    private string WritePlaceholders(string name)
    {
        var example = CredentialsExample.Load();
        Assert.Equal(example.Metadata.Name, name);
        var path = Path.Combine(root, "secrets", name);
        Directory.CreateDirectory(path);
        foreach (var key in example.StringData.Keys) File.WriteAllText(Path.Combine(path, key), "placeholder");
        return path;
    }

    private string WriteConfigMap(string name)
    {
        var path = Path.Combine(root, "configmaps", name);
        Directory.CreateDirectory(path);
        foreach (var (key, text) in cluster.ConfigMap(name).Data) File.WriteAllText(Path.Combine(path, key), text);
        return path;
    }

    /// <summary>Rewrites a container path onto the local folder of the mount holding it (longest mount path first).</summary>
    internal static string Map(string arg, IEnumerable<(string MountPath, string Host)> mounts)
    {
        foreach (var (mountPath, host) in mounts)
        {
            if (arg == mountPath || arg.StartsWith(mountPath + "/", StringComparison.Ordinal)) return host + arg[mountPath.Length..];
        }
        return arg;
    }

    private static string Expand(string arg, IReadOnlyDictionary<string, string> env) =>
        Reference().Replace(arg, m => env.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex Reference();
}
