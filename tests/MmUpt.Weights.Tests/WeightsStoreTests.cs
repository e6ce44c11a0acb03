using System.Security.Cryptography;
using MmUpt.Testing;

namespace MmUpt.Weights.Tests;

/// <summary>The on-disk store: atomic versions, manifests that describe the files, pruning, verification.</summary>
public sealed class WeightsStoreTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public void A_published_version_holds_its_files_and_a_manifest_that_describes_them()
    {
        var store = new WeightsStore(_dir.File("store"));
        var v = Versions.Publish(store, step: 7, seed: 1);

        Assert.Equal(1ul, v.Number);
        Assert.Equal(7ul, v.Manifest.Step);
        Assert.Equal(Versions.FileNames, v.Manifest.Files.Select(f => f.Name));
        foreach (var f in v.Manifest.Files)
        {
            var bytes = Versions.Content(f.Name, 1);
            Assert.Equal((ulong)bytes.Length, f.SizeBytes);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), f.Sha256);
            Assert.Equal(bytes, File.ReadAllBytes(v.PathOf(f)));
        }
        Assert.Equal([.. Versions.FileNames, WeightsStore.ManifestFileName],
            Directory.GetFiles(v.Folder).Select(Path.GetFileName).OrderBy(n => n == WeightsStore.ManifestFileName).ThenBy(n => n, StringComparer.Ordinal));
        Assert.Equal(v.Manifest, ManifestJson.Read(Path.Combine(v.Folder, WeightsStore.ManifestFileName)));
        Assert.Equal(v.Manifest, store.TryOpen(0)!.Manifest);
        Assert.Equal([1ul], store.Versions());
    }

    [Fact]
    public void Hashes_the_writer_took_while_writing_go_into_the_manifest_and_the_other_files_are_hashed_by_the_store()
    {
        var store = new WeightsStore(_dir.File("store"));
        // The writer's value is recorded as given (the store does not read that file back); a file it does not name is read and hashed.
        const string told = "00000000000000000000000000000000000000000000000000000000000000aa";
        var v = store.Publish(3, folder =>
        {
            foreach (var name in Versions.FileNames)
            {
                File.WriteAllBytes(Path.Combine(folder, name), Versions.Content(name, 1));
            }
            return new Dictionary<string, string> { [Versions.FileNames[0]] = told };
        }).Version;

        Assert.Equal(told, v.Manifest.Files.Single(f => f.Name == Versions.FileNames[0]).Sha256);
        foreach (var f in v.Manifest.Files.Where(f => f.Name != Versions.FileNames[0]))
        {
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Versions.Content(f.Name, 1))), f.Sha256);
        }
    }

    [Fact]
    public void Versions_count_up_and_pruning_keeps_the_newest_K()
    {
        var store = new WeightsStore(_dir.File("store"), keepVersions: 2);
        for (var i = 1; i <= 5; i++)
        {
            Versions.Publish(store, step: (ulong)(10 * i), seed: i);
        }

        Assert.Equal([4ul, 5ul], store.Versions());
        Assert.Null(store.TryOpen(3));
        Assert.Equal(50ul, store.TryOpen(0)!.Manifest.Step);
        Assert.Equal(["v4", "v5"], Directory.GetDirectories(store.Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        // A new store over the same folder (a restarted learner) continues the numbering.
        Assert.Equal(6ul, Versions.Publish(new WeightsStore(store.Folder, 2), 60, 6).Number);
    }

    [Fact]
    public void A_write_that_fails_leaves_no_version_and_no_staging_folder()
    {
        var store = new WeightsStore(_dir.File("store"));
        Versions.Publish(store, 1, 1);

        Assert.Throws<IOException>(() => store.Publish(2, folder =>
        {
            File.WriteAllBytes(Path.Combine(folder, "decoder.onnx.data"), [1, 2, 3]);
            throw new IOException("disk full");
        }));

        Assert.Equal([1ul], store.Versions());
        Assert.Equal(["v1"], Directory.GetDirectories(store.Folder).Select(Path.GetFileName));
    }

    [Fact]
    public void A_staging_folder_is_not_a_version()
    {
        var store = new WeightsStore(_dir.File("store"));
        var staging = store.Stage(4, resume: false);
        File.WriteAllBytes(Path.Combine(staging, "decoder.onnx.data"), [1]);

        Assert.Empty(store.Versions());
        Assert.Null(store.TryOpen(4));
        Assert.Null(store.TryOpen(0));
    }

    [Fact]
    public void Verify_names_the_version_and_file_that_changed_on_disk()
    {
        var store = new WeightsStore(_dir.File("store"));
        var v = Versions.Publish(store, 1, 1);
        store.Verify(v.Number);
        var path = Path.Combine(v.Folder, "embedding.onnx.data");
        var bytes = File.ReadAllBytes(path);
        bytes[1000] ^= 1;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<WeightsIntegrityException>(() => store.Verify(v.Number));
        Assert.Equal((1ul, "embedding.onnx.data"), (error.Version, error.FileName));
        Assert.Contains("SHA-256", error.Message);
    }

    [Fact]
    public void Commit_checks_the_staged_files_against_the_manifest()
    {
        var source = new WeightsStore(_dir.File("source"));
        var v = Versions.Publish(source, 3, 1);
        var copy = new WeightsStore(_dir.File("copy"));
        var staging = copy.Stage(v.Number, resume: true);
        foreach (var f in v.Manifest.Files.Skip(1))
        {
            File.Copy(v.PathOf(f), Path.Combine(staging, f.Name));
        }

        var missing = Assert.Throws<WeightsIntegrityException>(() => copy.Commit(v.Manifest));
        Assert.Equal("decoder.onnx.data", missing.FileName);
        Assert.Empty(copy.Versions());

        File.Copy(v.PathOf(v.Manifest.Files[0]), Path.Combine(staging, "decoder.onnx.data"));
        File.WriteAllBytes(Path.Combine(staging, "decoder.onnx.data.partial"), [0]);
        var committed = copy.Commit(v.Manifest);
        Assert.Equal(v.Manifest, committed.Manifest);
        copy.Verify(v.Number);
        Assert.DoesNotContain("decoder.onnx.data.partial", Directory.GetFiles(committed.Folder).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("manifest.json")]
    public void File_names_that_could_leave_the_folder_or_clash_are_refused(string name) =>
        Assert.NotNull(WeightsFileName.Problem(name));

    public void Dispose() => _dir.Dispose();
}
