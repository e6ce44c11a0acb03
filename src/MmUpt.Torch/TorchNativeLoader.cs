namespace MmUpt.Torch;

/// <summary>
/// TorchSharp 0.107.0's <c>libLibTorchSharp.so</c> was built against GCC 13 and asks for <c>GLIBCXX_3.4.32</c>, which
/// Debian 12's libstdc++ (up to 3.4.30) lacks, so the loader refuses it. The only symbol with that version is
/// <c>std::ios_base_library_init()</c>, which has no relocation and is never called. Marking that one version
/// requirement weak (<c>VER_FLG_WEAK</c>) in the app's own copy of the library makes it load.
/// <para>
/// This changes nothing outside the app's output folder, does nothing when the system libstdc++ defines every needed
/// version, and weakens only versions on <see cref="KnownUnusedVersions"/>; anything else missing is reported.
/// The file is replaced atomically (write a copy, rename over), so a process that has it mapped is not disturbed.
/// </para>
/// </summary>
public static class TorchNativeLoader
{
    public const string LibraryName = "libLibTorchSharp.so";

    /// <summary>Versions verified to carry only unreferenced symbols in TorchSharp 0.107.0.</summary>
    public static readonly IReadOnlySet<string> KnownUnusedVersions = new HashSet<string> { "GLIBCXX_3.4.32" };

    private static readonly Lock Gate = new();
    private static PrepareResult? _result;

    /// <summary>What <see cref="PrepareOutputFolder"/> found and did.</summary>
    public enum PrepareResult
    {
        /// <summary>Not Linux, or no TorchSharp library in the output folder.</summary>
        NotApplicable,
        /// <summary>The system libstdc++ has every version the library needs.</summary>
        NothingMissing,
        /// <summary>The missing versions were already weak (patched before).</summary>
        AlreadyPatched,
        /// <summary>The missing versions were marked weak now.</summary>
        Patched,
        /// <summary>Versions are missing that are not known to be unused; TorchSharp will fail to load.</summary>
        Unfixable,
    }

    /// <summary>Prepares the library next to the app (<see cref="AppContext.BaseDirectory"/>). Safe to call many times.</summary>
    public static PrepareResult PrepareOutputFolder()
    {
        lock (Gate)
        {
            return _result ??= Prepare(Path.Combine(AppContext.BaseDirectory, LibraryName), FindSystemLibStdCxx());
        }
    }

    /// <summary>Prepares one library file against one libstdc++ (both paths explicit, for tests and tools).</summary>
    public static PrepareResult Prepare(string library, string? libStdCxx)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(library) || libStdCxx is null)
        {
            return PrepareResult.NotApplicable;
        }
        var bytes = File.ReadAllBytes(library);
        var defined = ElfVersions.ReadDefinitions(File.ReadAllBytes(libStdCxx));
        var missing = ElfVersions.ReadNeeds(bytes)
            .Where(n => n.File.StartsWith("libstdc++.so", StringComparison.Ordinal) && !defined.Contains(n.Version))
            .ToList();
        if (missing.Count == 0)
        {
            return PrepareResult.NothingMissing;
        }
        var unknown = missing.Where(n => !KnownUnusedVersions.Contains(n.Version)).Select(n => n.Version).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"mmupt: {library} needs {string.Join(", ", unknown)}, which {libStdCxx} lacks; " +
                                    "install a newer libstdc++ (GCC 13 or later).");
            return PrepareResult.Unfixable;
        }
        if (missing.All(n => n.IsWeak))
        {
            return PrepareResult.AlreadyPatched;
        }
        foreach (var need in missing)
        {
            var flags = (ushort)(need.Flags | ElfVersions.WeakFlag);
            bytes[need.FlagsOffset] = (byte)flags;
            bytes[need.FlagsOffset + 1] = (byte)(flags >> 8);
        }
        var temp = $"{library}.{Environment.ProcessId}.tmp";
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, library, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            File.Delete(temp);
            Console.Error.WriteLine($"mmupt: cannot update {library} ({ex.Message}); TorchSharp needs it writable once " +
                                    "on systems whose libstdc++ is older than GCC 13's.");
            return PrepareResult.Unfixable;
        }
        return PrepareResult.Patched;
    }

    /// <summary>The libstdc++ this process uses: the one already mapped, else the first in the usual library folders.</summary>
    public static string? FindSystemLibStdCxx()
    {
        if (File.Exists("/proc/self/maps"))
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                var slash = line.IndexOf('/');
                if (slash >= 0 && line.AsSpan(slash).Contains("/libstdc++.so", StringComparison.Ordinal))
                {
                    return line[slash..].Trim();
                }
            }
        }
        var folders = (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
                     "/usr/lib64", "/lib64", "/usr/lib", "/lib"]);
        return folders.Select(f => Path.Combine(f, "libstdc++.so.6")).FirstOrDefault(File.Exists);
    }
}
