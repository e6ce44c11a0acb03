namespace MmUpt.Torch.Tests;

public sealed class ElfVersionsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mmupt-elf-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string OutputLibrary => Path.Combine(AppContext.BaseDirectory, TorchNativeLoader.LibraryName);

    [Fact]
    public void Reads_what_libLibTorchSharp_needs_from_libstdcxx()
    {
        var needs = ElfVersions.ReadNeeds(File.ReadAllBytes(OutputLibrary));
        Assert.Contains(needs, n => n.File == "libstdc++.so.6" && n.Version == "GLIBCXX_3.4.32");
        Assert.Contains(needs, n => n.File.StartsWith("libc.so", StringComparison.Ordinal) && n.Version.StartsWith("GLIBC_2.", StringComparison.Ordinal));
    }

    [Fact]
    public void Reads_the_versions_the_system_libstdcxx_defines()
    {
        var lib = TorchNativeLoader.FindSystemLibStdCxx();
        Assert.NotNull(lib);
        var defined = ElfVersions.ReadDefinitions(File.ReadAllBytes(lib));
        Assert.Contains("GLIBCXX_3.4", defined);
        Assert.Contains("CXXABI_1.3", defined);
    }

    [Fact]
    public void Patching_a_fresh_copy_weakens_only_the_missing_version_and_is_idempotent()
    {
        var system = TorchNativeLoader.FindSystemLibStdCxx()!;
        var defined = ElfVersions.ReadDefinitions(File.ReadAllBytes(system));
        // A pristine copy from the NuGet cache (read only there, written only here).
        var pristine = Directory.EnumerateFiles(Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"), "torchsharp"),
            TorchNativeLoader.LibraryName, SearchOption.AllDirectories).First(p => p.Contains("linux-x64", StringComparison.Ordinal));
        var copy = Path.Combine(_dir, TorchNativeLoader.LibraryName);
        File.Copy(pristine, copy);
        var before = ElfVersions.ReadNeeds(File.ReadAllBytes(copy));

        var first = TorchNativeLoader.Prepare(copy, system);
        var after = ElfVersions.ReadNeeds(File.ReadAllBytes(copy));

        if (defined.Contains("GLIBCXX_3.4.32"))
        {
            // A newer libstdc++: nothing may change.
            Assert.Equal(TorchNativeLoader.PrepareResult.NothingMissing, first);
            Assert.Equal(File.ReadAllBytes(pristine), File.ReadAllBytes(copy));
            return;
        }
        Assert.Equal(TorchNativeLoader.PrepareResult.Patched, first);
        Assert.Equal(before.Count, after.Count);
        for (var i = 0; i < before.Count; i++)
        {
            var expectWeak = before[i].Version == "GLIBCXX_3.4.32" || before[i].IsWeak;
            Assert.Equal(expectWeak, after[i].IsWeak);
        }
        var original = File.ReadAllBytes(pristine);
        var patched = File.ReadAllBytes(copy);
        Assert.Equal(original.Length, patched.Length);
        // Only the two bytes of one vna_flags field may differ.
        Assert.InRange(original.Zip(patched).Count(p => p.First != p.Second), 1, 2);
        Assert.Equal(TorchNativeLoader.PrepareResult.AlreadyPatched, TorchNativeLoader.Prepare(copy, system));
    }

    [Fact]
    public void A_library_needing_an_unknown_missing_version_is_left_alone()
    {
        // A stand-in "libstdc++" that defines no versions at all: every needed version is missing, most are not on the
        // known-unused list, so the file must stay as it was.
        var fakeSystem = Path.Combine(_dir, "libstdc++.so.6");
        File.Copy("/bin/true", fakeSystem);
        var copy = Path.Combine(_dir, TorchNativeLoader.LibraryName);
        File.Copy(OutputLibrary, copy);
        var bytes = File.ReadAllBytes(copy);
        Assert.Equal(TorchNativeLoader.PrepareResult.Unfixable, TorchNativeLoader.Prepare(copy, fakeSystem));
        Assert.Equal(bytes, File.ReadAllBytes(copy));
    }

    [Fact]
    public void A_non_elf_file_is_rejected()
    {
        var path = Path.Combine(_dir, "not-elf.so");
        File.WriteAllText(path, "hello");
        Assert.Throws<InvalidDataException>(() => ElfVersions.ReadNeeds(File.ReadAllBytes(path)));
    }
}
