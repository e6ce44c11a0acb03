using Google.Protobuf;
using MmUpt.Contracts.V1;

namespace MmUpt.Weights;

/// <summary>manifest.json: the <see cref="WeightsManifest"/> message in the proto3 JSON mapping (one format on disk and on the wire).</summary>
public static class ManifestJson
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithIndentation());
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));

    public static string Format(WeightsManifest manifest) => Formatter.Format(manifest) + "\n";

    /// <summary>Reads <paramref name="path"/>; <see cref="InvalidDataException"/> naming the file when it is not a manifest.</summary>
    public static WeightsManifest Read(string path)
    {
        try
        {
            return Parser.Parse<WeightsManifest>(File.ReadAllText(path));
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new InvalidDataException($"{path}: not a weights manifest: {ex.Message}", ex);
        }
    }
}
