using System.Text.Json;
using MmUpt.Processing.Images;

namespace MmUpt.Data;

/// <summary>Maps one JSONL object to a <see cref="DataRecord"/>; throws <see cref="FormatException"/> naming the field.</summary>
internal static class JsonlRecordParser
{
    public static DataRecord Parse(JsonElement root, string fallbackId, string directory, ImageLimits limits)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"expected a JSON object, got {root.ValueKind}");
        }
        var id = root.TryGetProperty("id", out var idEl) ? Scalar(idEl, "id") ?? fallbackId : fallbackId;
        if (!root.TryGetProperty("problem", out var problemEl) || problemEl.ValueKind != JsonValueKind.String)
        {
            throw new FormatException("field 'problem' is missing or not a string");
        }
        var answer = root.TryGetProperty("answer", out var answerEl) ? Scalar(answerEl, "answer") : null;
        var hasOne = root.TryGetProperty("image", out var imageEl) && imageEl.ValueKind != JsonValueKind.Null;
        var hasMany = root.TryGetProperty("images", out var imagesEl) && imagesEl.ValueKind != JsonValueKind.Null;
        if (hasOne && hasMany)
        {
            throw new FormatException("both 'image' and 'images' are set; use one");
        }
        var images = new List<ImageData>();
        if (hasOne)
        {
            images.Add(Image(imageEl, directory, "image", limits));
        }
        else if (hasMany)
        {
            if (imagesEl.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("field 'images' must be an array");
            }
            var i = 0;
            foreach (var el in imagesEl.EnumerateArray())
            {
                images.Add(Image(el, directory, $"images[{i++}]", limits));
            }
        }
        return new DataRecord(id, problemEl.GetString()!, answer, images, OtherFields(root));
    }

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal) { "id", "problem", "answer", "image", "images" };

    /// <summary>The remaining string, number and boolean fields (objects and arrays are not kept).</summary>
    private static Dictionary<string, string>? OtherFields(JsonElement root)
    {
        Dictionary<string, string>? fields = null;
        foreach (var p in root.EnumerateObject())
        {
            if (Known.Contains(p.Name))
            {
                continue;
            }
            var value = p.Value.ValueKind switch
            {
                JsonValueKind.String => p.Value.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => p.Value.GetRawText(),
                _ => null,
            };
            if (value is not null)
            {
                (fields ??= new Dictionary<string, string>(StringComparer.Ordinal))[p.Name] = value;
            }
        }
        return fields;
    }

    private static ImageData Image(JsonElement el, string directory, string field, ImageLimits limits)
    {
        try
        {
            return el.ValueKind switch
            {
                JsonValueKind.String => ImageSource.Resolve(el.GetString()!, directory, limits),
                JsonValueKind.Object when el.TryGetProperty("bytes", out var b) && b.ValueKind == JsonValueKind.String =>
                    ImageSource.Checked(Convert.FromBase64String(b.GetString()!),
                        el.TryGetProperty("path", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null),
                JsonValueKind.Object when el.TryGetProperty("path", out var p) && p.ValueKind == JsonValueKind.String =>
                    ImageSource.Resolve(p.GetString()!, directory, limits),
                _ => throw new FormatException($"expected a string or {{bytes|path}} object, got {el.ValueKind}"),
            };
        }
        catch (FormatException ex)
        {
            throw new FormatException($"field '{field}': {ex.Message}", ex);
        }
    }

    private static string? Scalar(JsonElement el, string field) => el.ValueKind switch
    {
        JsonValueKind.String => el.GetString(),
        JsonValueKind.Number => el.GetRawText(),
        JsonValueKind.Null => null,
        _ => throw new FormatException($"field '{field}' must be a string or a number, got {el.ValueKind}"),
    };
}
