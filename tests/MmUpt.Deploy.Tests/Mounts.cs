using k8s.Models;

namespace MmUpt.Deploy.Tests;

/// <summary>Which volume mount of a container holds a path.</summary>
public static class Mounts
{
    public static V1VolumeMount Holding(V1Container container, string path) =>
        (container.VolumeMounts ?? []).Where(m => path == m.MountPath || path.StartsWith(m.MountPath.TrimEnd('/') + "/", StringComparison.Ordinal))
            .OrderByDescending(m => m.MountPath.Length).FirstOrDefault()
        ?? throw new Xunit.Sdk.XunitException($"container {container.Name}: no volume is mounted at {path} (it would be lost with the container or not exist)");

    /// <summary>The path is on a volume that outlives the pod and that the container may write.</summary>
    public static void AssertDurableAndWritable(Workload workload, V1Container container, string path)
    {
        var mount = Holding(container, path);
        Assert.True(workload.IsPersistent(mount.Name), $"{workload.Name}: {path} is on volume '{mount.Name}', which is not a persistent volume claim");
        Assert.NotEqual(true, mount.ReadOnlyProperty);
    }
}
