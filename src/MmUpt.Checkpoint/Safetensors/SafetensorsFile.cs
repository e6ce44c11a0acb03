using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace MmUpt.Checkpoint.Safetensors;

/// <summary>
/// One open <c>.safetensors</c> file: u64 LE header length N, N bytes of JSON
/// <c>{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {..}}</c>, then the data section.
/// Reads go straight from the file into the caller's buffer with positional reads (no stream, no small chunks).
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    /// <summary>The reference implementation refuses headers over 100 MB; so do we.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private readonly SafeFileHandle _handle;
    private readonly long _dataStart;

    public string Path { get; }
    public IReadOnlyDictionary<string, SafetensorsTensorInfo> Tensors { get; }
    public IReadOnlyDictionary<string, string> Metadata { get; }

    private SafetensorsFile(string path, SafeFileHandle handle, long dataStart,
        Dictionary<string, SafetensorsTensorInfo> tensors, Dictionary<string, string> metadata)
    {
        Path = path;
        _handle = handle;
        _dataStart = dataStart;
        Tensors = tensors;
        Metadata = metadata;
    }

    public static SafetensorsFile Open(string path)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors data is little-endian");
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        try
        {
            var fileLength = RandomAccess.GetLength(handle);
            Span<byte> lenBytes = stackalloc byte[8];
            if (fileLength < 8 || RandomAccess.Read(handle, lenBytes, 0) != 8)
                throw new CheckpointFormatException($"{path}: shorter than the 8-byte header length");
            var n = BitConverter.ToInt64(lenBytes);
            if (n < 2 || n > MaxHeaderBytes || 8 + n > fileLength)
                throw new CheckpointFormatException($"{path}: header length {n} is invalid for a file of {fileLength} bytes");
            var header = new byte[n];
            ReadExactly(handle, header, 8, path);
            var (tensors, metadata) = ParseHeader(header, path, fileLength - 8 - n);
            return new SafetensorsFile(path, handle, 8 + n, tensors, metadata);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public SafetensorsTensorInfo Info(string name) =>
        Tensors.TryGetValue(name, out var info) ? info : throw new KeyNotFoundException($"{Path}: no tensor \"{name}\"");

    /// <summary>Copies <paramref name="destination"/>.Length bytes of the tensor, starting <paramref name="offset"/> bytes into it.</summary>
    public void ReadInto(string name, Span<byte> destination, long offset = 0)
    {
        var info = Info(name);
        if (offset < 0 || offset + destination.Length > info.ByteLength)
            throw new ArgumentOutOfRangeException(nameof(destination), $"{name}: range [{offset}, {offset + destination.Length}) outside its {info.ByteLength} bytes");
        ReadExactly(_handle, destination, _dataStart + info.Begin + offset, Path);
    }

    /// <summary>Copies the whole tensor to native memory (e.g. a CPU tensor's data pointer); any size, in 1 GiB reads.</summary>
    public unsafe void ReadInto(string name, nint destination)
    {
        var length = Info(name).ByteLength;
        const int chunk = 1 << 30;
        for (long done = 0; done < length; done += chunk)
        {
            var n = (int)Math.Min(chunk, length - done);
            ReadInto(name, new Span<byte>((byte*)destination + done, n), done);
        }
    }

    public byte[] ReadBytes(string name)
    {
        var bytes = new byte[Info(name).ByteLength];
        ReadInto(name, bytes);
        return bytes;
    }

    /// <summary>The tensor converted to float32 (from F32, BF16, F16 or F64), read straight into the result.</summary>
    public float[] ReadFloat32(string name)
    {
        var values = new float[Info(name).ElementCount];
        ReadFloat32(name, 0, values);
        return values;
    }

    /// <summary>
    /// Elements [<paramref name="firstElement"/>, + <paramref name="destination"/>.Length) of the tensor as float32: F32
    /// is read straight into <paramref name="destination"/>, other types through a bounded scratch buffer, so a caller
    /// can stream a tensor of any size in pieces.
    /// </summary>
    public void ReadFloat32(string name, long firstElement, Span<float> destination)
    {
        var info = Info(name);
        if (info.DType is not (SafetensorsDType.F32 or SafetensorsDType.BF16 or SafetensorsDType.F16 or SafetensorsDType.F64))
            throw new CheckpointFormatException($"{Path}:{name}: {info.DType} is not a floating-point type");
        var size = info.DType.ElementSize();
        if (firstElement < 0 || firstElement + destination.Length > info.ElementCount)
            throw new ArgumentOutOfRangeException(nameof(firstElement), $"{name}: elements [{firstElement}, {firstElement + destination.Length}) outside its {info.ElementCount}");
        const int Piece = 1 << 18;   // elements per read: 1 MiB of F32, bounded for every type
        if (info.DType == SafetensorsDType.F32)
        {
            for (var done = 0; done < destination.Length; done += Piece)
            {
                var part = destination.Slice(done, Math.Min(Piece, destination.Length - done));
                ReadInto(name, MemoryMarshal.AsBytes(part), (firstElement + done) * size);
            }
            return;
        }
        var scratch = ArrayPool<byte>.Shared.Rent(Piece * size);
        try
        {
            for (var done = 0; done < destination.Length; done += Piece)
            {
                var count = Math.Min(Piece, destination.Length - done);
                var bytes = scratch.AsSpan(0, count * size);
                ReadInto(name, bytes, (firstElement + done) * size);
                ElementConversions.ToFloat32(bytes, info.DType, destination.Slice(done, count), $"{Path}:{name}");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    public void Dispose() => _handle.Dispose();

    private static void ReadExactly(SafeFileHandle handle, Span<byte> destination, long fileOffset, string path)
    {
        while (destination.Length > 0)
        {
            var n = RandomAccess.Read(handle, destination, fileOffset);
            if (n <= 0) throw new CheckpointFormatException($"{path}: unexpected end of file at byte {fileOffset}");
            destination = destination[n..];
            fileOffset += n;
        }
    }

    private static (Dictionary<string, SafetensorsTensorInfo>, Dictionary<string, string>) ParseHeader(byte[] header, string path, long dataLength)
    {
        var tensors = new Dictionary<string, SafetensorsTensorInfo>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        JsonDocument doc;
        try { doc = JsonDocument.Parse(header); }
        catch (JsonException ex) { throw new CheckpointFormatException($"{path}: header is not JSON: {ex.Message}", ex); }
        using (doc)
        {
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (prop.Name == "__metadata__")
                {
                    foreach (var m in prop.Value.EnumerateObject()) metadata[m.Name] = m.Value.GetString() ?? "";
                    continue;
                }
                var where = $"{path}: tensor \"{prop.Name}\"";
                var dtype = SafetensorsDTypeExtensions.Parse(prop.Value.GetProperty("dtype").GetString() ?? "", where);
                var shape = prop.Value.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()).ToArray();
                var offsets = prop.Value.GetProperty("data_offsets").EnumerateArray().Select(x => x.GetInt64()).ToArray();
                if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength)
                    throw new CheckpointFormatException($"{where}: data_offsets [{string.Join(",", offsets)}] outside the {dataLength}-byte data section");
                var info = new SafetensorsTensorInfo(prop.Name, dtype, shape, offsets[0], offsets[1]);
                if (info.ElementCount * dtype.ElementSize() != info.ByteLength)
                    throw new CheckpointFormatException($"{where}: {info.ByteLength} bytes do not hold shape [{string.Join(",", shape)}] of {dtype}");
                tensors[prop.Name] = info;
            }
        }
        return (tensors, metadata);
    }
}
