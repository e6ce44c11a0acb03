using System.Diagnostics;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using MmUpt.Contracts.V1;

namespace MmUpt.Weights;

/// <summary>
/// Weights versions on disk: <c>{Folder}/v{N}/</c> holding <c>manifest.json</c> and the version's files.
/// <para>
/// A version appears atomically: its files and manifest are written into <c>.staging-v{N}/</c> (synced to disk when the
/// store is durable) and the folder is renamed to <c>v{N}</c>; a reader that sees <c>v{N}</c> sees all of it, and a crash
/// of the process never leaves a folder that looks complete. Only a durable store survives a power loss whole; every
/// reader checks a version's SHA-256 sums before using it, so a version torn that way is rejected, never served. A
/// published file is never rewritten (ORT GenAI may map it, and caches initializers by inode). Pruning keeps the newest
/// <see cref="KeepVersions"/>, renaming older ones out of sight before deleting them, so readers see a version whole or
/// not at all; a reader that already opened a file keeps reading it (POSIX unlink semantics).
/// </para>
/// One process writes a store (the learner publishing, or a rollout worker keeping its downloads); any number read it.
/// </summary>
public sealed class WeightsStore
{
    public const string ManifestFileName = "manifest.json";
    public const int DefaultKeepVersions = 3;
    private const string StagingPrefix = ".staging-v";
    private const string TrashPrefix = ".trash-";
    private readonly object _write = new();
    private ulong _lastPublished;

    /// <param name="folder">Created on the first write; a missing folder is an empty store.</param>
    /// <param name="keepVersions">How many of the newest versions pruning keeps (≥ 1).</param>
    /// <param name="durable">fsync every file of a version before it appears (default). A learner's store of ephemeral
    /// versions can skip it: its checkpoint is the durable state, and a version torn by a power loss fails its readers'
    /// SHA-256 check.</param>
    public WeightsStore(string folder, int keepVersions = DefaultKeepVersions, bool durable = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keepVersions, 1);
        Folder = Path.GetFullPath(folder);
        KeepVersions = keepVersions;
        Durable = durable;
    }

    /// <summary>Whether a version's files are synced to disk before it appears.</summary>
    public bool Durable { get; }

    public string Folder { get; }

    public int KeepVersions { get; }

    /// <summary>The complete versions, oldest first.</summary>
    public IReadOnlyList<ulong> Versions()
    {
        if (!Directory.Exists(Folder))
        {
            return [];
        }
        var versions = new List<ulong>();
        foreach (var dir in Directory.EnumerateDirectories(Folder, "v*"))
        {
            if (ParseVersion(Path.GetFileName(dir), "v") is { } v && File.Exists(Path.Combine(dir, ManifestFileName)))
            {
                versions.Add(v);
            }
        }
        versions.Sort();
        return versions;
    }

    /// <summary>The newest complete version, or null when there is none.</summary>
    public ulong? Newest => Versions() is { Count: > 0 } v ? v[^1] : null;

    /// <summary>Version <paramref name="version"/> (0: the newest), or null when it is not (or no longer) in the store.</summary>
    public WeightsVersion? TryOpen(ulong version)
    {
        if (version != 0)
        {
            return TryOpenExact(version);
        }
        // The newest can be pruned between listing and reading only if newer ones appeared meanwhile: look again.
        while (Newest is { } newest)
        {
            if (TryOpenExact(newest) is { } v)
            {
                return v;
            }
        }
        return null;
    }

    private WeightsVersion? TryOpenExact(ulong version)
    {
        var folder = VersionFolder(version);
        WeightsManifest manifest;
        try
        {
            manifest = ManifestJson.Read(Path.Combine(folder, ManifestFileName));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        if (manifest.Version != version)
        {
            throw new InvalidDataException($"{folder}/{ManifestFileName} says version {manifest.Version}");
        }
        return new WeightsVersion(manifest, folder);
    }

    /// <summary>Makes the next published version greater than <paramref name="version"/> (numbers only grow; gaps are fine).</summary>
    public void ReserveAbove(ulong version)
    {
        lock (_write) _lastPublished = Math.Max(_lastPublished, version);
    }

    /// <summary>
    /// Publishes the next version: <paramref name="writeFiles"/> writes the files into the staging folder it is given;
    /// then they are hashed into the manifest, synced, renamed into place, and old versions pruned.
    /// </summary>
    public StorePublishResult Publish(ulong step, Action<string> writeFiles) => Publish(step, folder =>
    {
        writeFiles(folder);
        return new Dictionary<string, string>();
    });

    /// <summary>
    /// As <see cref="Publish(ulong, Action{string})"/>, with <paramref name="writeFiles"/> returning the SHA-256 (lower-case
    /// hex) of the files it hashed as it wrote them, by file name: those are not read again (a file it does not name is).
    /// </summary>
    public StorePublishResult Publish(ulong step, Func<string, IReadOnlyDictionary<string, string>> writeFiles)
    {
        lock (_write)
        {
            var version = Math.Max(Newest ?? 0, _lastPublished) + 1;
            var staging = Stage(version, resume: false);
            try
            {
                var clock = Stopwatch.StartNew();
                var hashed = writeFiles(staging);
                var write = clock.Elapsed;
                clock.Restart();
                var manifest = new WeightsManifest { Version = version, Step = step, CreateTime = Timestamp.FromDateTime(DateTime.UtcNow) };
                foreach (var path in Directory.GetFiles(staging).Order(StringComparer.Ordinal))
                {
                    var name = Path.GetFileName(path);
                    if (WeightsFileName.Problem(name) is { } problem)
                    {
                        throw new InvalidOperationException($"weights version {version}: file name '{name}' {problem}");
                    }
                    manifest.Files.Add(new WeightsFile { Name = name, SizeBytes = (ulong)new FileInfo(path).Length, Sha256 = hashed.TryGetValue(name, out var sha) ? sha : FileHash.Sha256Hex(path) });
                }
                var published = Seal(staging, manifest);
                _lastPublished = version;
                var seal = clock.Elapsed;
                Prune();
                return new StorePublishResult(published, write, seal);
            }
            catch
            {
                TryDelete(staging);
                throw;
            }
        }
    }

    /// <summary>
    /// The staging folder of <paramref name="version"/>, created if needed. With <paramref name="resume"/> what is already
    /// there stays (a download continues where it stopped, even after a restart); otherwise it starts empty.
    /// </summary>
    public string Stage(ulong version, bool resume)
    {
        ArgumentOutOfRangeException.ThrowIfZero(version);
        lock (_write)
        {
            if (Directory.Exists(VersionFolder(version)))
            {
                throw new InvalidOperationException($"weights version {version} is already in {Folder}; versions are never rewritten");
            }
            var staging = Path.Combine(Folder, StagingPrefix + version.ToString(CultureInfo.InvariantCulture));
            if (!resume)
            {
                TryDelete(staging);
            }
            Directory.CreateDirectory(staging);
            return staging;
        }
    }

    /// <summary>
    /// Adds a version whose files were placed in <see cref="Stage"/>'s folder under <paramref name="manifest"/> (a copy of
    /// another store's version, e.g. a download already checked against the SHA-256 sums): checks every file's presence
    /// and size, removes anything else, and renames the folder into place. An existing version is returned as it is.
    /// </summary>
    public WeightsVersion Commit(WeightsManifest manifest)
    {
        ArgumentOutOfRangeException.ThrowIfZero(manifest.Version);
        lock (_write)
        {
            if (TryOpen(manifest.Version) is { } existing)
            {
                return existing;
            }
            var staging = Stage(manifest.Version, resume: true);
            var expected = new HashSet<string>(StringComparer.Ordinal);
            foreach (var file in manifest.Files)
            {
                if (WeightsFileName.Problem(file.Name) is { } problem)
                {
                    throw new WeightsIntegrityException(manifest.Version, file.Name, $"file name {problem}");
                }
                Check(manifest.Version, file, Path.Combine(staging, file.Name), hash: false);
                expected.Add(file.Name);
            }
            foreach (var path in Directory.GetFiles(staging).Where(p => !expected.Contains(Path.GetFileName(p))))
            {
                File.Delete(path);
            }
            var committed = Seal(staging, manifest);
            Prune();
            return committed;
        }
    }

    /// <summary>Removes all but the newest <see cref="KeepVersions"/> versions (and stale staging folders); returns the removed ones.</summary>
    public IReadOnlyList<ulong> Prune()
    {
        lock (_write)
        {
            var versions = Versions();
            var removed = versions.Take(Math.Max(0, versions.Count - KeepVersions)).ToList();
            foreach (var v in removed)
            {
                var trash = Path.Combine(Folder, $"{TrashPrefix}v{v}-{Guid.NewGuid():N}");
                Directory.Move(VersionFolder(v), trash);
                TryDelete(trash);
            }
            var oldestKept = versions.Count > removed.Count ? versions[removed.Count] : 0;
            if (Directory.Exists(Folder))
            {
                foreach (var dir in Directory.EnumerateDirectories(Folder, ".*"))
                {
                    var name = Path.GetFileName(dir);
                    if (name.StartsWith(TrashPrefix, StringComparison.Ordinal)
                        || (ParseVersion(name, StagingPrefix) is { } staged && staged < oldestKept))
                    {
                        TryDelete(dir);
                    }
                }
            }
            return removed;
        }
    }

    /// <summary>Re-reads every file of <paramref name="version"/>; <see cref="WeightsIntegrityException"/> on the first that differs from the manifest.</summary>
    public void Verify(ulong version)
    {
        var v = TryOpen(version) ?? throw new KeyNotFoundException($"weights version {version} is not in {Folder}");
        foreach (var file in v.Manifest.Files)
        {
            Check(v.Number, file, v.PathOf(file), hash: true);
        }
    }

    /// <summary>The file at <paramref name="path"/> exists with the manifest's size (and, with <paramref name="hash"/>, SHA-256).</summary>
    private static void Check(ulong version, WeightsFile file, string path, bool hash)
    {
        var size = File.Exists(path) ? new FileInfo(path).Length : -1;
        if (size != (long)file.SizeBytes)
        {
            throw new WeightsIntegrityException(version, file.Name, size < 0 ? "missing" : $"{size} bytes, manifest says {file.SizeBytes}");
        }
        if (hash && FileHash.Sha256Hex(path) is var sha && sha != file.Sha256)
        {
            throw new WeightsIntegrityException(version, file.Name, $"SHA-256 {sha}, manifest says {file.Sha256}");
        }
    }

    private string VersionFolder(ulong version) => Path.Combine(Folder, "v" + version.ToString(CultureInfo.InvariantCulture));

    /// <summary>Writes the manifest, syncs every file (a durable store), then renames the staging folder into place.</summary>
    private WeightsVersion Seal(string staging, WeightsManifest manifest)
    {
        if (Durable)
        {
            foreach (var file in manifest.Files)
            {
                SyncToDisk(Path.Combine(staging, file.Name));
            }
        }
        var manifestPath = Path.Combine(staging, ManifestFileName);
        File.WriteAllText(manifestPath, ManifestJson.Format(manifest));
        if (Durable)
        {
            SyncToDisk(manifestPath);
        }
        var folder = VersionFolder(manifest.Version);
        Directory.Move(staging, folder);
        return new WeightsVersion(manifest, folder);
    }

    private static void SyncToDisk(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        file.Flush(flushToDisk: true);
    }

    private static ulong? ParseVersion(string name, string prefix) =>
        name.StartsWith(prefix, StringComparison.Ordinal)
        && ulong.TryParse(name.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0
            ? v
            : null;

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the next prune (trash and stale staging folders are swept there).
        }
    }
}
