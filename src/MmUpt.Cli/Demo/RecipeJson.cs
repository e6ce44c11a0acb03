using System.Globalization;
using System.Text.Json.Nodes;

namespace MmUpt.Cli.Demo;

/// <summary>
/// Turns configuration keys (<c>Train:Stages:0:Kind</c> = <c>Sft</c>) into the nested JSON file <c>--config</c> reads:
/// a level whose keys are 0..n-1 becomes an array; numbers and booleans are written as such, the rest as strings.
/// Keys are what the options classes bind, so a recipe is built the way a user overrides one with flags.
/// </summary>
public static class RecipeJson
{
    public static JsonNode Build(IReadOnlyDictionary<string, string> keys) =>
        Node(keys.Select(kv => (kv.Key.Split(':'), kv.Value)).ToList(), 0);

    private static JsonNode Node(List<(string[] Path, string Value)> entries, int depth)
    {
        var leaf = entries.FirstOrDefault(e => e.Path.Length == depth);
        if (leaf.Path is not null) return Scalar(leaf.Value);
        var children = entries.GroupBy(e => e.Path[depth], StringComparer.OrdinalIgnoreCase).ToList();
        var indices = children.Select(g => int.TryParse(g.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : -1).ToList();
        if (indices.Order().SequenceEqual(Enumerable.Range(0, children.Count)))
        {
            var array = new JsonArray();
            foreach (var g in children.OrderBy(g => int.Parse(g.Key, CultureInfo.InvariantCulture))) array.Add(Node([.. g], depth + 1));
            return array;
        }
        var obj = new JsonObject();
        foreach (var g in children) obj[g.Key] = Node([.. g], depth + 1);
        return obj;
    }

    private static JsonNode Scalar(string value) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? JsonValue.Create(l)
        : double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !value.Contains(':') ? JsonValue.Create(d)
        : bool.TryParse(value, out var b) ? JsonValue.Create(b)
        : JsonValue.Create(value);
}
