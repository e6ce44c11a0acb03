using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Core.Interceptors;
using MmUpt.Contracts.V1;

namespace MmUpt.Weights.Tests;

/// <summary>What goes wrong with the next Download call (one fault per call, in order; none when the queue is empty).</summary>
public enum Fault
{
    /// <summary>The call fails with UNAVAILABLE after two chunks.</summary>
    CutAfterTwoChunks,

    /// <summary>One byte of the second chunk is flipped in transit.</summary>
    FlipByteInSecondChunk,

    /// <summary>The stream ends cleanly (status OK) after two chunks.</summary>
    EndAfterTwoChunks,
}

/// <summary>
/// A server interceptor on the real WeightsService that damages Download streams as a network or a buggy proxy would,
/// and records every Download request's offset.
/// </summary>
public sealed class FaultInjector : Interceptor
{
    private readonly ConcurrentQueue<Fault> _faults = new();

    public ConcurrentQueue<(string File, ulong Offset)> Requests { get; } = new();

    public void Enqueue(params Fault[] faults)
    {
        foreach (var f in faults)
        {
            _faults.Enqueue(f);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (request is not DownloadRequest download || responseStream is not IServerStreamWriter<WeightsChunk> chunks)
        {
            await continuation(request, responseStream, context);
            return;
        }
        Requests.Enqueue((download.FileName, download.Offset));
        if (!_faults.TryDequeue(out var fault))
        {
            await continuation(request, responseStream, context);
            return;
        }
        var writer = new DamagingWriter(chunks, fault);
        try
        {
            await continuation(request, (IServerStreamWriter<TResponse>)(object)writer, context);
        }
        catch (StopStream)
        {
            // EndAfterTwoChunks: the handler returns as if the file were complete.
        }
    }

    private sealed class StopStream : Exception;

    private sealed class DamagingWriter(IServerStreamWriter<WeightsChunk> inner, Fault fault)
        : IServerStreamWriter<WeightsChunk>
    {
        private int _written;

        public WriteOptions? WriteOptions
        {
            get => inner.WriteOptions;
            set => inner.WriteOptions = value;
        }

        public Task WriteAsync(WeightsChunk message) => WriteAsync(message, CancellationToken.None);

        public async Task WriteAsync(WeightsChunk message, CancellationToken cancellationToken)
        {
            if (_written == 2 && fault == Fault.CutAfterTwoChunks)
            {
                // The call fails after the chunks already sent (a reset connection could also drop those in flight).
                throw new RpcException(new Status(StatusCode.Unavailable, "injected: connection lost"));
            }
            if (_written == 2 && fault == Fault.EndAfterTwoChunks)
            {
                throw new StopStream();
            }
            if (_written == 1 && fault == Fault.FlipByteInSecondChunk)
            {
                var bytes = message.Data.ToByteArray();
                bytes[bytes.Length / 2] ^= 0x5A;
                message = new WeightsChunk { Offset = message.Offset, TotalSize = message.TotalSize, Data = Google.Protobuf.ByteString.CopyFrom(bytes) };
            }
            _written++;
            await inner.WriteAsync(message, cancellationToken);
        }
    }
}
