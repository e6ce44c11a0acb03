using System.Text.Json;
using System.Text.Json.Serialization;

namespace MmUpt.Checkpoint;

/// <summary>
/// <c>rope_scaling</c>: older files say <c>{"type":"mrope","mrope_section":[16,24,24]}</c>, newer ones
/// <c>{"rope_type":"default","mrope_section":[...]}</c>; both mean plain RoPE split over three position streams.
/// </summary>
public sealed class RopeScalingConfig
{
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("rope_type")] public string? RopeType { get; set; }
    [JsonPropertyName("mrope_section")] public int[] MropeSection { get; set; } = [];

    /// <summary>Unknown fields, kept for the round trip (a JsonObject here trips a .NET 10 serializer bug that writes them unnamed).</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}
