using k8s.Models;

namespace MmUpt.Deploy.Tests;

/// <summary>A Deployment, StatefulSet or Job reduced to what the checks need: its pod template and volume claims.</summary>
public sealed record Workload(string Kind, string Name, IDictionary<string, string> Labels, IDictionary<string, string> Annotations,
    V1PodSpec Pod, IReadOnlyList<V1PersistentVolumeClaim> ClaimTemplates)
{
    public static Workload? From(object o) => o switch
    {
        V1Deployment d => new("Deployment", d.Metadata.Name, LabelsOf(d.Spec.Template), Notes(d.Spec.Template), d.Spec.Template.Spec, []),
        V1StatefulSet s => new("StatefulSet", s.Metadata.Name, LabelsOf(s.Spec.Template), Notes(s.Spec.Template), s.Spec.Template.Spec,
            [.. s.Spec.VolumeClaimTemplates ?? []]),
        V1Job j => new("Job", j.Metadata.Name, LabelsOf(j.Spec.Template), Notes(j.Spec.Template), j.Spec.Template.Spec, []),
        _ => null,
    };

    /// <summary>Init containers first, in the order they run.</summary>
    public IEnumerable<V1Container> Containers => (Pod.InitContainers ?? []).Concat(Pod.Containers);

    public V1Container Container(string name) => Containers.Single(c => c.Name == name);

    public V1Volume Volume(string name) => Pod.Volumes?.SingleOrDefault(v => v.Name == name)
        ?? throw new InvalidOperationException($"{Name}: no volume '{name}'");

    /// <summary>Whether the volume mounted as <paramref name="name"/> lives beyond the pod (a claim, or a claim template).</summary>
    public bool IsPersistent(string name) =>
        ClaimTemplates.Any(c => c.Metadata.Name == name) || Volume(name).PersistentVolumeClaim is not null;

    private static IDictionary<string, string> LabelsOf(V1PodTemplateSpec t) => t.Metadata?.Labels ?? new Dictionary<string, string>();

    private static IDictionary<string, string> Notes(V1PodTemplateSpec t) => t.Metadata?.Annotations ?? new Dictionary<string, string>();
}
