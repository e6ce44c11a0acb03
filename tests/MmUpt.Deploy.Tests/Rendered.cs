using k8s.Models;

namespace MmUpt.Deploy.Tests;

/// <summary>The typed objects of one rendered overlay.</summary>
public sealed class Rendered(IList<object> objects)
{
    public IList<object> Objects { get; } = objects;

    public IReadOnlyList<Tests.Workload> Workloads { get; } = [.. objects.Select(Tests.Workload.From).OfType<Tests.Workload>()];

    public IEnumerable<V1Service> Services => Objects.OfType<V1Service>();

    public Workload Workload(string name) => Workloads.Single(w => w.Name == name);

    public V1Service Service(string name) => Services.Single(s => s.Metadata.Name == name);

    public V1ConfigMap ConfigMap(string name) => Objects.OfType<V1ConfigMap>().Single(c => c.Metadata.Name == name);

    /// <summary>The one workload whose container runs the <c>mmupt</c> subcommand <paramref name="subcommand"/>.</summary>
    public (Workload Workload, V1Container Container) Running(string subcommand) =>
        Workloads.SelectMany(w => w.Containers.Select(c => (w, c))).Single(p => p.c.Args?.FirstOrDefault() == subcommand);

    /// <summary>The workloads whose pods a selector picks.</summary>
    public IEnumerable<Workload> Selected(IDictionary<string, string> selector) =>
        Workloads.Where(w => selector.All(kv => w.Labels.TryGetValue(kv.Key, out var v) && v == kv.Value));
}
