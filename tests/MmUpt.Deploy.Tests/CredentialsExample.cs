using k8s;
using k8s.Models;

namespace MmUpt.Deploy.Tests;

/// <summary>deploy/k8s/credentials.example.yaml: the mmupt-credentials Secret's name and keys, loaded strictly.</summary>
public static class CredentialsExample
{
    public static V1Secret Load() =>
        KubernetesYaml.LoadAllFromString(File.ReadAllText(Repository.File("deploy", "k8s", "credentials.example.yaml")), strict: true)
            .OfType<V1Secret>().Single();
}
