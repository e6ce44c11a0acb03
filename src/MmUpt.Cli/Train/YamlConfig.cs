using System.Text.Json;
using MmUpt.Core.Options;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MmUpt.Cli.Train;

/// <summary>
/// Lets <c>--config</c> be YAML: the file is read as a YAML mapping and rewritten as the equivalent JSON next to the
/// temp folder, so the one configuration loader (layers, unknown sections) handles both. Scalars stay strings; the
/// typed binder converts and validates them.
/// </summary>
public static class YamlConfig
{
    public static bool IsYaml(string? path) =>
        path is not null && (path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase));

    /// <summary>Writes the JSON equivalent of <paramref name="path"/> to a temp file and returns its path.</summary>
    public static string ToJsonFile(string path)
    {
        if (!File.Exists(path)) throw new OptionsException("--config", $"file not found: {Path.GetFullPath(path)}");
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (YamlException ex)
        {
            throw new OptionsException("--config", $"{path} is not valid YAML: line {ex.Start.Line}: {ex.Message}");
        }
        var root = stream.Documents.Count == 0 ? new YamlMappingNode() : stream.Documents[0].RootNode;
        if (root is not YamlMappingNode) throw new OptionsException("--config", $"{path}: the top level must be a mapping of sections");
        var json = Path.Combine(Path.GetTempPath(), $"mmupt-config-{Environment.ProcessId}-{Guid.NewGuid():N}.json");
        File.WriteAllText(json, JsonSerializer.Serialize(Convert(root)));
        return json;
    }

    private static object? Convert(YamlNode node) => node switch
    {
        YamlMappingNode m => m.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value ?? "", kv => Convert(kv.Value)),
        YamlSequenceNode s => s.Children.Select(Convert).ToList(),
        YamlScalarNode v => v.Value,
        _ => null,
    };
}
