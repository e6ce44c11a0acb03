using System.Diagnostics;
using k8s;

namespace MmUpt.Deploy.Tests;

/// <summary>
/// Renders a kustomization with the real Kustomize (<c>kubectl kustomize</c>, Kustomize v5 is built into kubectl) and
/// loads every object into Kubernetes' typed models in strict mode, so a misspelt field or a wrong type fails.
/// </summary>
public static class Kustomize
{
    public static string Render(string directory)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(directory);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("these tests render the overlays with `kubectl kustomize`: install kubectl (v1.27+)", ex);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(120))) throw new TimeoutException($"kubectl kustomize {directory}");
            if (process.ExitCode != 0) throw new InvalidOperationException($"kubectl kustomize {directory}: {stderr.Result}");
            return stdout.Result;
        }
    }

    /// <summary>The rendered objects of one overlay under deploy/k8s/overlays.</summary>
    public static Rendered Overlay(string name) =>
        new(KubernetesYaml.LoadAllFromString(Render(Repository.File("deploy", "k8s", "overlays", name)), strict: true));
}
