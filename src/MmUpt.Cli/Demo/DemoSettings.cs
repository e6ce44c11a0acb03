using System.Text.Json;

namespace MmUpt.Cli.Demo;

/// <summary><c>DIR/demo.json</c>: what a demo run was asked to do. Written first, so it also marks the folder as a demo output.</summary>
public sealed record DemoSettings(long Seed, DemoSize Size, IReadOnlyList<DemoArm> Arms, DateTimeOffset Started)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    /// <summary>The settings of an earlier demo; <see cref="DemoException"/> naming the file when unreadable.</summary>
    public static DemoSettings Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<DemoSettings>(File.ReadAllText(path))
                   ?? throw new DemoException($"{path}: empty settings");
        }
        catch (Exception ex) when (ex is JsonException or IOException or NotSupportedException)
        {
            throw new DemoException($"{path}: not a demo settings file ({ex.Message})");
        }
    }
}
