// Compiled into every host and test assembly that runs TorchSharp (see Directory.Build.targets).
// It runs before any code of the assembly, so before TorchSharp's static constructor loads libLibTorchSharp.so.
using System.Runtime.CompilerServices;

file static class TorchBootstrap
{
    [ModuleInitializer]
    internal static void Initialize() => MmUpt.Torch.TorchNativeLoader.PrepareOutputFolder();
}
