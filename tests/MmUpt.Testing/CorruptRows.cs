using System.Text;

namespace MmUpt.Testing;

/// <summary>A JSONL dataset of corrupted rows for the fuzz tests: half the rows are corrupted themselves, half point at a
/// corrupted image (some of them a folder or a symlink loop in place of the file).</summary>
public static class CorruptRows
{
    /// <param name="template">A valid JSONL row whose image is <c>img.png</c>.</param>
    /// <param name="png">The valid image that <c>img.png</c> is, and that corrupted copies start from.</param>
    /// <returns>The JSONL path; its last row is the valid template, so a reader always has one usable row.</returns>
    public static async Task<string> WriteAsync(string folder, string template, byte[] png, Mutator mutator, int rows)
    {
        var lines = new List<byte[]>();
        for (var i = 0; i < rows; i++)
        {
            if (i % 2 == 0)
            {
                lines.Add(mutator.AnyJson(template, out _));
                continue;
            }
            var image = Path.Combine(folder, $"img{i}.png");
            switch (i % 10)
            {
                case 1: Directory.CreateDirectory(image); break;
                case 3: File.CreateSymbolicLink(image, image); break;
                default: await File.WriteAllBytesAsync(image, mutator.Bytes(png, out _)); break;
            }
            lines.Add(Encoding.UTF8.GetBytes(template.Replace("img.png", $"img{i}.png")));
        }
        await File.WriteAllBytesAsync(Path.Combine(folder, "img.png"), png);
        lines.Add(Encoding.UTF8.GetBytes(template));
        var path = Path.Combine(folder, "fuzz.jsonl");
        // A corruption may add a newline; the row stays one line so that rows and cases correspond.
        await File.WriteAllBytesAsync(path, [.. lines.SelectMany(l => l.Where(b => b != (byte)'\n').Append((byte)'\n'))]);
        return path;
    }
}
