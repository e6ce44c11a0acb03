using MmUpt.Onnx.Export;
using MmUpt.Onnx.Tests.Fixtures;

namespace MmUpt.Onnx.Tests;

/// <summary>
/// Where the export writes: never into (or around) its input, never over a non-empty folder unless asked, and through a
/// temporary sibling, so a failed run leaves nothing and a replaced folder keeps no stale file.
/// </summary>
[Collection(ExportedTinyCollection.Name)]
public sealed class ExportTargetTests(ExportedTiny tiny)
{
    [Fact]
    public void Out_equal_to_the_checkpoint_is_refused_before_anything_is_written()
    {
        var folder = CheckpointCopy.Make(tiny, "target-same");
        var before = CheckpointCopy.Snapshot(folder);
        var ex = Assert.Throws<ExportTargetException>(() => Qwen25VLExporter.Export(folder, folder + "/"));
        Assert.Contains("never writes into its input", ex.Message);
        Assert.Equal(before, CheckpointCopy.Snapshot(folder));
        Assert.Empty(Leftovers("target-same"));
    }

    [Fact]
    public void Out_inside_the_checkpoint_is_refused()
    {
        var folder = CheckpointCopy.Make(tiny, "target-inside");
        Assert.Throws<ExportTargetException>(() => Qwen25VLExporter.Export(folder, Path.Combine(folder, "onnx")));
        Assert.False(Directory.Exists(Path.Combine(folder, "onnx")));
        Assert.Empty(Directory.GetDirectories(folder));
    }

    [Fact]
    public void Checkpoint_inside_out_is_refused_because_replacing_out_would_delete_it()
    {
        var parent = tiny.NewFolder("target-parent");
        var checkpoint = Path.Combine(parent, "hf");
        Directory.CreateDirectory(parent);
        Directory.Move(CheckpointCopy.Make(tiny, "target-parent-src"), checkpoint);
        var ex = Assert.Throws<ExportTargetException>(() =>
            Qwen25VLExporter.Export(checkpoint, parent, new Qwen25VLExportOptions { Overwrite = true }));
        Assert.Contains("would delete the checkpoint", ex.Message);
        Assert.True(File.Exists(Path.Combine(checkpoint, "config.json")));
    }

    [Fact]
    public void Non_empty_out_is_refused_without_overwrite_and_left_untouched()
    {
        var output = tiny.NewFolder("target-busy");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "notes.txt"), "mine");
        var ex = Assert.Throws<ExportTargetException>(() => Qwen25VLExporter.Export(tiny.Checkpoint, output));
        Assert.Contains("not empty", ex.Message);
        Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(output).Select(Path.GetFileName));
        Assert.Empty(Leftovers("target-busy"));
    }

    [Fact]
    public void Overwrite_replaces_the_folder_whole_so_no_stale_file_remains()
    {
        var output = tiny.NewFolder("target-replace");
        Qwen25VLExporter.ExportTextOnly(tiny.Checkpoint, output);   // model.onnx: a file the full export does not write
        Directory.CreateDirectory(Path.Combine(output, "old-sub"));
        var result = Qwen25VLExporter.Export(tiny.Checkpoint, output, ExportedTiny.Options with { Overwrite = true });
        Assert.Equal(Path.GetFullPath(output), result.Folder);
        var expected = Directory.GetFiles(tiny.Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(expected, Directory.GetFileSystemEntries(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(File.ReadAllBytes(Path.Combine(tiny.Folder, "decoder.onnx")), File.ReadAllBytes(Path.Combine(output, "decoder.onnx")));
        Assert.All(result.Models, m => Assert.True(File.Exists(m.Path), m.Path));
        Assert.Empty(Leftovers("target-replace"));
    }

    /// <summary>
    /// An input file that cannot be read (merges.txt → /proc/self/mem, which read() refuses with EIO) fails the export
    /// after the ONNX files are written: the target does not appear and the temporary sibling is gone.
    /// </summary>
    [Fact]
    public void Failed_export_leaves_neither_the_output_nor_a_temporary_folder()
    {
        var folder = CheckpointCopy.Make(tiny, "target-fail-src");
        File.CreateSymbolicLink(Path.Combine(folder, "merges.txt"), "/proc/self/mem");
        var output = tiny.NewFolder("target-fail");
        Assert.ThrowsAny<IOException>(() => Qwen25VLExporter.Export(folder, output));
        Assert.False(Directory.Exists(output));
        Assert.Empty(Leftovers("target-fail"));
    }

    /// <summary>Temporary or set-aside siblings of <paramref name="name"/> in the test root.</summary>
    private string[] Leftovers(string name) => Directory.GetDirectories(tiny.Root, $".{name}.*");
}
