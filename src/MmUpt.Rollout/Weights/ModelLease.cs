using MmUpt.Rollout.Engine;

namespace MmUpt.Rollout.Weights;

/// <summary>A generator's hold on one loaded version; disposing it lets a retired version be freed.</summary>
public sealed class ModelLease(LoadedVersion version) : IDisposable
{
    private int _released;

    public ulong Version => version.Version;
    public OrtGenAiEngine Engine => version.Engine;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            version.Release();
        }
    }
}
