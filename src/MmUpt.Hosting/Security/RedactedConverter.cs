using System.Text.Json;
using System.Text.Json.Serialization;

namespace MmUpt.Hosting.Security;

/// <summary>Writes a secret as <c>"(redacted)"</c> (or null when unset), so <c>--dry-run</c> and config dumps show it is set, not what it is.</summary>
public sealed class RedactedConverter : JsonConverter<string?>
{
    public const string Redacted = "(redacted)";

    public override bool HandleNull => true;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetString();

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        if (string.IsNullOrEmpty(value)) writer.WriteNullValue();
        else writer.WriteStringValue(Redacted);
    }
}
