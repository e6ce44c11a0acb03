using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MmUpt.Data;

/// <summary>
/// Writes records as JSONL that <see cref="JsonlDatasetReader"/> reads back: <c>id</c>, <c>problem</c>, <c>answer</c>
/// (omitted when null), <c>images</c>, then any extra scalar fields (ignored by the reader, kept for analysis).
/// </summary>
public sealed class JsonlDatasetWriter : IAsyncDisposable
{
    private readonly StreamWriter _writer;
    private readonly string _directory;
    private readonly string _imageFolder;
    private readonly JsonlImageMode _mode;

    /// <param name="path">The JSONL file (overwritten).</param>
    /// <param name="mode">Image storage.</param>
    /// <param name="imageFolder">For <see cref="JsonlImageMode.Files"/>: the folder relative to the JSONL (default <c>images/STEM</c>).</param>
    public JsonlDatasetWriter(string path, JsonlImageMode mode = JsonlImageMode.Files, string? imageFolder = null)
    {
        _directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(_directory);
        _imageFolder = imageFolder ?? Path.Combine("images", Path.GetFileNameWithoutExtension(path));
        _mode = mode;
        _writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    public int Count { get; private set; }

    public async Task WriteAsync(DataRecord record, IReadOnlyDictionary<string, object?>? extra = null, CancellationToken cancellationToken = default)
    {
        var images = new List<string>(record.Images.Count);
        for (var i = 0; i < record.Images.Count; i++)
        {
            images.Add(await StoreAsync(record.Id, i, record.Images[i], cancellationToken));
        }
        using var buffer = new MemoryStream();
        // Relaxed escaping keeps <image> and non-ASCII text readable; the output is a data file, never embedded in HTML.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("id", record.Id);
            json.WriteString("problem", record.Problem);
            if (record.Answer is not null) json.WriteString("answer", record.Answer);
            json.WriteStartArray("images");
            foreach (var image in images) json.WriteStringValue(image);
            json.WriteEndArray();
            foreach (var (key, value) in extra ?? new Dictionary<string, object?>())
            {
                json.WritePropertyName(key);
                JsonSerializer.Serialize(json, value);
            }
            json.WriteEndObject();
        }
        await _writer.WriteLineAsync(Encoding.UTF8.GetString(buffer.ToArray()).AsMemory(), cancellationToken);
        Count++;
    }

    private async Task<string> StoreAsync(string id, int index, ImageData image, CancellationToken cancellationToken)
    {
        var format = image.Format ?? throw new ArgumentException($"record {id}: image {index} is not a recognised image");
        if (_mode == JsonlImageMode.Inline)
        {
            return $"data:image/{format};base64,{Convert.ToBase64String(image.Bytes)}";
        }
        var name = $"{Sanitize(id)}{(index == 0 ? "" : $"_{index}")}.{(format == "jpeg" ? "jpg" : format)}";
        var relative = Path.Combine(_imageFolder, name);
        var full = Path.Combine(_directory, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await File.WriteAllBytesAsync(full, image.Bytes, cancellationToken);
        return relative.Replace('\\', '/');
    }

    private static string Sanitize(string id) =>
        string.Concat(id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));

    public async ValueTask DisposeAsync() => await _writer.DisposeAsync();
}
