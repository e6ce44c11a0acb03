namespace MmUpt.Build.Tests;

/// <summary>
/// `-p:Accelerator=cuda` must swap exactly the engine packages. The CUDA packages cannot be restored here, so this
/// checks the evaluated package lists of the real project files, which is what restore would fetch.
/// </summary>
public sealed class AcceleratorPackagesTests
{
    private static readonly string[] EnginePackages =
    [
        "Microsoft.ML.OnnxRuntimeGenAI", "Microsoft.ML.OnnxRuntimeGenAI.Cuda", "Microsoft.ML.OnnxRuntime",
        "Microsoft.ML.OnnxRuntime.Gpu.Linux", "TorchSharp", "TorchSharp-cpu", "TorchSharp-cuda-linux", "libtorch-cpu-linux-x64",
    ];

    private static bool IsEngine(string package) => EnginePackages.Contains(package) || package.StartsWith("libtorch", StringComparison.Ordinal);

    [Fact]
    public async Task Cpu_build_of_the_cli_takes_the_cpu_engines()
    {
        var cpu = await Evaluation.OfAsync("src/MmUpt.Cli/MmUpt.Cli.csproj", "cpu");
        Assert.Equal(
            ["Microsoft.ML.OnnxRuntimeGenAI 0.18.0", "TorchSharp 0.107.0", "libtorch-cpu-linux-x64 2.10.0"],
            cpu.Pinned(IsEngine).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("MMUPT_CUDA", cpu.DefineConstants);
    }

    [Fact]
    public async Task Cuda_build_of_the_cli_takes_the_cuda_engines()
    {
        var cuda = await Evaluation.OfAsync("src/MmUpt.Cli/MmUpt.Cli.csproj", "cuda");
        Assert.Equal(
            ["Microsoft.ML.OnnxRuntime.Gpu.Linux 1.31.0", "Microsoft.ML.OnnxRuntimeGenAI.Cuda 0.18.0", "TorchSharp 0.107.0", "TorchSharp-cuda-linux 0.107.0"],
            cuda.Pinned(IsEngine).Order(StringComparer.Ordinal));
        Assert.Contains("MMUPT_CUDA", cuda.DefineConstants);
    }

    [Theory]
    [InlineData("src/MmUpt.Rollout/MmUpt.Rollout.csproj", "cpu", "Microsoft.ML.OnnxRuntimeGenAI 0.18.0")]
    [InlineData("src/MmUpt.Rollout/MmUpt.Rollout.csproj", "cuda", "Microsoft.ML.OnnxRuntime.Gpu.Linux 1.31.0|Microsoft.ML.OnnxRuntimeGenAI.Cuda 0.18.0")]
    [InlineData("src/MmUpt.Learner/MmUpt.Learner.csproj", "cpu", "TorchSharp 0.107.0|libtorch-cpu-linux-x64 2.10.0")]
    [InlineData("src/MmUpt.Learner/MmUpt.Learner.csproj", "cuda", "TorchSharp 0.107.0|TorchSharp-cuda-linux 0.107.0")]
    [InlineData("src/MmUpt.Voting/MmUpt.Voting.csproj", "cuda", "")]
    public async Task Each_process_takes_only_its_own_engine(string project, string accelerator, string expected)
    {
        var evaluation = await Evaluation.OfAsync(project, accelerator);
        Assert.Equal(expected.Split('|', StringSplitOptions.RemoveEmptyEntries), evaluation.Pinned(IsEngine).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Every_referenced_package_is_pinned_centrally()
    {
        foreach (var accelerator in new[] { "cpu", "cuda" })
        {
            var evaluation = await Evaluation.OfAsync("src/MmUpt.Cli/MmUpt.Cli.csproj", accelerator);
            Assert.DoesNotContain(evaluation.Pinned(_ => true), p => p.EndsWith("UNPINNED", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task An_unknown_accelerator_is_refused_with_a_clear_message()
    {
        var (code, stdout, _) = await Evaluation.MsBuildAsync(Path.Combine(Evaluation.RepoRoot, "src/MmUpt.Core/MmUpt.Core.csproj"),
            "-t:MmUptCheckAccelerator", "-p:Accelerator=rocm");
        Assert.NotEqual(0, code);
        Assert.Contains("Accelerator must be 'cpu' or 'cuda' (got 'rocm')", stdout);
    }
}
