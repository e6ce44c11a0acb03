using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace MmUpt.Deploy.Tests;

/// <summary>One service of deploy/compose.yaml, with YAML merge keys (<c>&lt;&lt;: *image</c>) applied as Compose does.</summary>
public sealed record ComposeService(string Name, Dictionary<string, object> Fields)
{
    public static IReadOnlyList<ComposeService> Load(string path)
    {
        using var reader = new StreamReader(path);
        var root = new DeserializerBuilder().Build().Deserialize<Dictionary<string, object>>(new MergingParser(new Parser(reader)));
        return [.. ((Dictionary<object, object>)root["services"]).Select(kv =>
            new ComposeService((string)kv.Key, ((Dictionary<object, object>)kv.Value).ToDictionary(f => (string)f.Key, f => f.Value)))];
    }

    public List<string> Command => Strings("command");

    public string? Image => Fields.GetValueOrDefault("image") as string;

    public Dictionary<string, string> Environment =>
        (Fields.GetValueOrDefault("environment") as Dictionary<object, object> ?? []).ToDictionary(kv => (string)kv.Key, kv => (string)kv.Value);

    /// <summary>SOURCE:TARGET[:ro] entries: a named volume or a path relative to the compose file.</summary>
    public List<(string Source, string Target, bool ReadOnly)> Volumes => [.. Strings("volumes").Select(v => v.Split(':'))
        .Select(p => (p[0], p[1], p.Length > 2 && p[2] == "ro"))];

    public List<string> HealthCheck => (Fields.GetValueOrDefault("healthcheck") as Dictionary<object, object>)?["test"] is List<object> test
        ? [.. test.Cast<string>()]
        : [];

    public IEnumerable<string> DependsOn => (Fields.GetValueOrDefault("depends_on") as Dictionary<object, object> ?? []).Keys.Cast<string>();

    public List<string> Ports => Strings("ports");

    private List<string> Strings(string key) => Fields.GetValueOrDefault(key) is List<object> list ? [.. list.Cast<string>()] : [];
}
