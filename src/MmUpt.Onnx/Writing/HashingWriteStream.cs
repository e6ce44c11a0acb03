using System.Security.Cryptography;

namespace MmUpt.Onnx.Writing;

/// <summary>
/// A write-only pass-through that feeds every byte written to <paramref name="inner"/> into <paramref name="hash"/> as
/// well, so a file's SHA-256 costs no second read. Position and Length are the inner stream's; seeking is not supported
/// (a skipped range would be missing from the hash).
/// </summary>
internal sealed class HashingWriteStream(Stream inner, IncrementalHash hash) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => throw new NotSupportedException("a hashed stream is written front to back");
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        hash.AppendData(buffer);
        inner.Write(buffer);
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("a hashed stream is written front to back");

    public override void SetLength(long value) => throw new NotSupportedException();
}
