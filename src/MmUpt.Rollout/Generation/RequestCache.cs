using Grpc.Core;
using MmUpt.Contracts.V1;

namespace MmUpt.Rollout.Generation;

/// <summary>
/// Answers a repeated <c>request_id</c> from the first call: while the first runs, a repeat awaits it; once it has
/// succeeded, a repeat gets its response (the newest <see cref="RolloutOptions.RememberedRequests"/> are kept). A failed
/// or cancelled first call is forgotten, so a retry with the same id runs again. A repeat naming another group or
/// attempt is INVALID_ARGUMENT.
/// </summary>
public sealed class RequestCache(RolloutOptions options)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (GenerateRequest Request, Task<GenerateResponse> Result)> _entries = [];
    private readonly Queue<string> _order = new();

    public Task<GenerateResponse> GetOrRun(GenerateRequest request, Func<Task<GenerateResponse>> run)
    {
        if (string.IsNullOrEmpty(request.RequestId))
        {
            return run();
        }
        Task<GenerateResponse> result;
        lock (_lock)
        {
            if (_entries.TryGetValue(request.RequestId, out var entry))
            {
                if (entry.Request.GroupId != request.GroupId || entry.Request.Attempt != request.Attempt)
                {
                    throw new RpcException(new Status(StatusCode.InvalidArgument,
                        $"request_id '{request.RequestId}' was used for group {entry.Request.GroupId}#{entry.Request.Attempt}"));
                }
                return entry.Result;
            }
            result = Task.Run(run);
            _entries[request.RequestId] = (request, result);
            _order.Enqueue(request.RequestId);
            while (_order.Count > options.RememberedRequests && _order.TryDequeue(out var old))
            {
                _entries.Remove(old);
            }
        }
        _ = result.ContinueWith(t =>
        {
            lock (_lock)
            {
                if (_entries.TryGetValue(request.RequestId, out var e) && e.Result == t)
                {
                    _entries.Remove(request.RequestId);
                }
            }
        }, CancellationToken.None, TaskContinuationOptions.NotOnRanToCompletion, TaskScheduler.Default);
        return result;
    }
}
