using System.Text;
using System.Text.Json.Nodes;

namespace MmUpt.Testing;

/// <summary>
/// Seeded corruptions of valid inputs for the fuzz tests: byte-level (truncation, bit flips, invalid UTF-8, empty) and,
/// for JSON, structural (a value replaced by a wrong type, a huge or negative number, a deleted key). The same seed
/// gives the same corruption, so a failing case is reproducible from the seed printed with it.
/// </summary>
public sealed class Mutator(int seed)
{
    private readonly Random _random = new(seed);

    /// <summary>The byte-level corruptions, by name.</summary>
    public static readonly string[] ByteKinds = ["truncate", "bitflip", "bitflips", "invalid-utf8", "empty", "duplicate-tail", "zero-run"];

    /// <summary>A byte-level corruption of <paramref name="bytes"/>; <paramref name="kind"/> names which.</summary>
    public byte[] Bytes(byte[] bytes, out string kind)
    {
        kind = ByteKinds[_random.Next(ByteKinds.Length)];
        var b = bytes.ToArray();
        switch (kind)
        {
            case "truncate":
                return b[..(b.Length == 0 ? 0 : _random.Next(b.Length))];
            case "bitflip":
                if (b.Length > 0) b[_random.Next(b.Length)] ^= (byte)(1 << _random.Next(8));
                return b;
            case "bitflips":
                for (var i = 0; b.Length > 0 && i < 1 + b.Length / 64; i++) b[_random.Next(b.Length)] ^= (byte)(1 << _random.Next(8));
                return b;
            case "invalid-utf8":
                var at = b.Length == 0 ? 0 : _random.Next(b.Length);
                return [.. b[..at], 0xFF, 0xC3, 0x28, .. b[at..]];
            case "empty":
                return [];
            case "duplicate-tail":
                var from = b.Length == 0 ? 0 : _random.Next(b.Length);
                return [.. b, .. b[from..]];
            default:
                var start = b.Length == 0 ? 0 : _random.Next(b.Length);
                Array.Clear(b, start, Math.Min(b.Length - start, 1 + _random.Next(256)));
                return b;
        }
    }

    /// <summary>One structural change to a JSON document: a value somewhere becomes a wrong type or an extreme number, or a key goes.</summary>
    public string Json(string json, out string kind)
    {
        var root = JsonNode.Parse(json)!;
        var (parent, key) = PickSlot(root);
        if (parent is null)
        {
            kind = "root-replaced";
            return _random.Next(3) switch { 0 => "[]", 1 => "42", _ => "\"text\"" };
        }
        JsonNode? replacement;
        (kind, replacement) = _random.Next(10) switch
        {
            0 => ("huge-number", JsonValue.Create(1e308)),
            8 => ("large-int", JsonValue.Create(1_000_000)),
            1 => ("int-overflow", JsonNode.Parse("99999999999999999999999")),
            2 => ("negative", JsonValue.Create(-1)),
            3 => ("array", new JsonArray(1, 2)),
            4 => ("object", new JsonObject { ["x"] = 1 }),
            5 => ("null", null),
            6 => ("string", JsonValue.Create("not a number")),
            7 => ("bool", JsonValue.Create(true)),
            _ => ("deleted", null),
        };
        if (parent is JsonObject o)
        {
            if (kind == "deleted") o.Remove((string)key); else o[(string)key] = replacement;
        }
        else if (parent is JsonArray a)
        {
            if (kind == "deleted") a.RemoveAt((int)key); else a[(int)key] = replacement;
        }
        return root.ToJsonString();
    }

    /// <summary>Either kind of corruption of a JSON text, as UTF-8 bytes.</summary>
    public byte[] AnyJson(string json, out string kind) =>
        _random.Next(2) == 0 ? Encoding.UTF8.GetBytes(Json(json, out kind)) : Bytes(Encoding.UTF8.GetBytes(json), out kind);

    public int Next(int bound) => _random.Next(bound);

    // A random (container, key) slot anywhere in the tree; (null, _) stands for the root itself.
    private (JsonNode? Parent, object Key) PickSlot(JsonNode root)
    {
        var slots = new List<(JsonNode?, object)> { (null, 0) };
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (k, v) in o) { slots.Add((o, k)); Walk(v); }
                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++) { slots.Add((a, i)); Walk(a[i]); }
                    break;
            }
        }
        Walk(root);
        return slots[_random.Next(slots.Count)];
    }
}
