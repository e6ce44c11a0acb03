using System.Text.Json;
using System.Text.Json.Nodes;

namespace MmUpt.Checkpoint.Safetensors;

/// <summary>
/// The weights of an HF checkpoint folder: <c>model.safetensors</c>, or shards listed in
/// <c>model.safetensors.index.json</c> (<c>{"metadata":{"total_size":N},"weight_map":{name: file}}</c>).
/// Names are exactly as stored; see <see cref="WeightNames"/> for the layout normalisation.
/// </summary>
public sealed class SafetensorsCheckpoint : IDisposable
{
    public const string SingleFileName = "model.safetensors";
    public const string IndexFileName = "model.safetensors.index.json";

    private readonly Dictionary<string, SafetensorsFile> _byName;
    private readonly List<SafetensorsFile> _files;

    private SafetensorsCheckpoint(List<SafetensorsFile> files, Dictionary<string, SafetensorsFile> byName)
    {
        _files = files;
        _byName = byName;
    }

    public IReadOnlyCollection<string> Names => _byName.Keys;

    public IReadOnlyList<SafetensorsFile> Files => _files;

    public static SafetensorsCheckpoint Open(string folder)
    {
        var index = Path.Combine(folder, IndexFileName);
        var single = Path.Combine(folder, SingleFileName);
        var files = new List<SafetensorsFile>();
        var byName = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        try
        {
            if (File.Exists(index))
            {
                var map = JsonNode.Parse(File.ReadAllText(index))?["weight_map"]?.AsObject()
                          ?? throw new CheckpointFormatException($"{index}: no \"weight_map\" object");
                var opened = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
                foreach (var (name, fileNode) in map)
                {
                    var file = fileNode?.GetValue<string>() ?? throw new CheckpointFormatException($"{index}: weight_map[\"{name}\"] is null");
                    if (!opened.TryGetValue(file, out var sf))
                    {
                        sf = SafetensorsFile.Open(Path.Combine(folder, file));
                        opened[file] = sf;
                        files.Add(sf);
                    }
                    if (!sf.Tensors.ContainsKey(name))
                        throw new CheckpointFormatException($"{index}: \"{name}\" is mapped to {file}, which does not contain it");
                    byName[name] = sf;
                }
            }
            else if (File.Exists(single))
            {
                var sf = SafetensorsFile.Open(single);
                files.Add(sf);
                foreach (var name in sf.Tensors.Keys) byName[name] = sf;
            }
            else
            {
                throw new CheckpointFormatException($"{folder}: neither {SingleFileName} nor {IndexFileName} exists");
            }
        }
        catch
        {
            foreach (var f in files) f.Dispose();
            throw;
        }
        return new SafetensorsCheckpoint(files, byName);
    }

    public bool Contains(string name) => _byName.ContainsKey(name);

    public SafetensorsTensorInfo Info(string name) => FileOf(name).Info(name);

    public void ReadInto(string name, Span<byte> destination, long offset = 0) => FileOf(name).ReadInto(name, destination, offset);

    public void ReadInto(string name, nint destination) => FileOf(name).ReadInto(name, destination);

    public byte[] ReadBytes(string name) => FileOf(name).ReadBytes(name);

    public float[] ReadFloat32(string name) => FileOf(name).ReadFloat32(name);

    /// <summary>A slice of the tensor as float32 (<see cref="SafetensorsFile.ReadFloat32(string, long, Span{float})"/>).</summary>
    public void ReadFloat32(string name, long firstElement, Span<float> destination) =>
        FileOf(name).ReadFloat32(name, firstElement, destination);

    public void Dispose()
    {
        foreach (var f in _files) f.Dispose();
    }

    private SafetensorsFile FileOf(string name) =>
        _byName.TryGetValue(name, out var f) ? f : throw new KeyNotFoundException($"checkpoint has no tensor \"{name}\"");

    /// <summary>
    /// Writes <paramref name="tensors"/> into <paramref name="folder"/>: one <c>model.safetensors</c> when they fit in
    /// <paramref name="maxShardBytes"/>, else <c>model-0000i-of-0000n.safetensors</c> shards plus the index. Removes a
    /// stale index or single file of the other form so that <see cref="Open"/> cannot pick up old weights.
    /// </summary>
    public static void Save(string folder, IReadOnlyList<SafetensorsTensor> tensors, long maxShardBytes = long.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxShardBytes, 1);
        Directory.CreateDirectory(folder);
        var shards = new List<List<SafetensorsTensor>> { new() };
        long current = 0;
        foreach (var t in tensors)
        {
            if (current > 0 && current + t.ByteLength > maxShardBytes)
            {
                shards.Add([]);
                current = 0;
            }
            shards[^1].Add(t);
            current += t.ByteLength;
        }
        var indexPath = Path.Combine(folder, IndexFileName);
        var singlePath = Path.Combine(folder, SingleFileName);
        if (shards.Count == 1)
        {
            SafetensorsWriter.Write(singlePath, shards[0]);
            if (File.Exists(indexPath)) File.Delete(indexPath);
            return;
        }
        var weightMap = new JsonObject();
        for (var i = 0; i < shards.Count; i++)
        {
            var file = $"model-{i + 1:D5}-of-{shards.Count:D5}.safetensors";
            SafetensorsWriter.Write(Path.Combine(folder, file), shards[i]);
            foreach (var t in shards[i]) weightMap[t.Name] = file;
        }
        var index = new JsonObject
        {
            ["metadata"] = new JsonObject { ["total_size"] = tensors.Sum(t => t.ByteLength) },
            ["weight_map"] = weightMap,
        };
        File.WriteAllText(indexPath, index.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        if (File.Exists(singlePath)) File.Delete(singlePath);
    }
}
