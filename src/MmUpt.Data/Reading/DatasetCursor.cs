using System.Text.Json;

namespace MmUpt.Data;

/// <summary>
/// Where a <see cref="DatasetStream"/> stands: the next row to read is number <see cref="Position"/> (0-based, malformed
/// rows included) of epoch <see cref="Epoch"/>'s order, which <see cref="Seed"/> and <see cref="Shuffle"/> define.
/// <see cref="Rows"/> guards against resuming on a different file. Saved in checkpoints as JSON.
/// </summary>
public sealed record DatasetCursor(int Epoch, long Position, long Seed, bool Shuffle, long Rows)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static DatasetCursor FromJson(string json) =>
        JsonSerializer.Deserialize<DatasetCursor>(json, Json) ?? throw new FormatException("dataset cursor JSON is null");
}
