using System.Collections;
using MmUpt.Processing.Images;

namespace MmUpt.Data;

/// <summary>Maps one untyped Parquet row (Parquet.Net's dictionaries) in the HF image layout to a <see cref="DataRecord"/>.</summary>
internal static class HfRowParser
{
    public static DataRecord Parse(IDictionary<string, object> row, string fallbackId, string directory, ImageLimits limits)
    {
        var problem = row.TryGetValue("problem", out var p) ? p as string : null;
        if (problem is null)
        {
            throw new FormatException("'problem' is null or not a string");
        }
        var id = row.TryGetValue("id", out var idValue) && idValue is not null ? Convert.ToString(idValue, System.Globalization.CultureInfo.InvariantCulture)! : fallbackId;
        var answer = row.TryGetValue("answer", out var a) && a is not null ? Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture) : null;
        var cell = row.TryGetValue("images", out var many) ? many : row.TryGetValue("image", out var one) ? one : null;
        return new DataRecord(id, problem, answer, Images(cell, directory, limits));
    }

    private static List<ImageData> Images(object? cell, string directory, ImageLimits limits)
    {
        var images = new List<ImageData>();
        switch (cell)
        {
            case null:
                break;
            case byte[] bytes:
                images.Add(ImageSource.Checked(bytes, null));
                break;
            case IDictionary<string, object> single:
                images.Add(Struct(single, directory, 0, limits));
                break;
            case IEnumerable list:
                var i = 0;
                foreach (var item in list)
                {
                    images.Add(item switch
                    {
                        byte[] b => ImageSource.Checked(b, null),
                        IDictionary<string, object> s => Struct(s, directory, i, limits),
                        _ => throw new FormatException($"images[{i}] is {item?.GetType().Name ?? "null"}, expected a {{bytes, path}} struct"),
                    });
                    i++;
                }
                break;
            default:
                throw new FormatException($"'images' is {cell.GetType().Name}, expected a list of {{bytes, path}} structs");
        }
        return images;
    }

    // HF `Image` feature: bytes inline, or only a path (then relative to the Parquet file, as `datasets` resolves it).
    private static ImageData Struct(IDictionary<string, object> s, string directory, int index, ImageLimits limits)
    {
        var path = s.TryGetValue("path", out var p) ? p as string : null;
        if (s.TryGetValue("bytes", out var b) && b is byte[] { Length: > 0 } bytes)
        {
            return ImageSignature.Detect(bytes) is not null
                ? new ImageData(bytes, path)
                : throw new FormatException($"images[{index}] bytes are not a PNG, JPEG, GIF, WebP or BMP file");
        }
        if (path is null)
        {
            throw new FormatException($"images[{index}] has neither bytes nor path");
        }
        var full = System.IO.Path.GetFullPath(path, directory);
        return File.Exists(full)
            ? ImageSource.Checked(ImageSource.Read(full, limits), full)
            : throw new FormatException($"images[{index}] has no bytes and its path {path} does not exist");
    }
}
