using MmUpt.Data;

namespace MmUpt.Testing;

/// <summary>Reads a whole dataset file in file order, failing on a malformed row.</summary>
public static class Datasets
{
    public static async Task<List<DataRecord>> ReadAll(string path)
    {
        await using var reader = await DatasetReaders.OpenAsync(path);
        var stream = DatasetStream.Start(reader, new DatasetStreamOptions { Shuffle = false, Malformed = MalformedRowPolicy.Fail });
        var list = new List<DataRecord>();
        await foreach (var r in stream.ReadAsync()) list.Add(r);
        return list;
    }
}
