using System.Reflection;

namespace MmUpt.Deploy.Tests;

/// <summary>Where the repository and the built <c>mmupt</c> are (set at build time by the project file).</summary>
public static class Repository
{
    public static string Root { get; } = Metadata("RepositoryRoot");

    /// <summary>The built CLI; <c>DEPLOY_TESTS_MMUPT_DLL</c> points the tests at another build.</summary>
    public static string MmuptDll { get; } = Environment.GetEnvironmentVariable("DEPLOY_TESTS_MMUPT_DLL") is { Length: > 0 } other
        ? other
        : Metadata("MmuptDll");

    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Metadata(string key) =>
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
