using System.Reflection;

namespace MmUpt.Core;

/// <summary>What this build is: product version and accelerator (<c>-p:Accelerator</c>).</summary>
public static class BuildInfo
{
    public static string Version { get; } =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>"cpu" or "cuda".</summary>
#if MMUPT_CUDA
    public const string Accelerator = "cuda";
#else
    public const string Accelerator = "cpu";
#endif
}
