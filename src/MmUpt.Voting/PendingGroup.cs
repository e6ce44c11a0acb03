using MmUpt.Contracts.V1;

namespace MmUpt.Voting;

/// <summary>The samples of one group attempt received so far, by index, and their serialized size.</summary>
internal sealed class PendingGroup(GroupAttempt key, uint size, long openedAt)
{
    private readonly Sample?[] _samples = new Sample?[size];

    public GroupAttempt Key { get; } = key;

    public uint Size { get; } = size;

    /// <summary><see cref="TimeProvider"/> timestamp of the first sample.</summary>
    public long OpenedAt { get; } = openedAt;

    public int Received { get; private set; }

    /// <summary>Serialized bytes of the samples received.</summary>
    public long Bytes { get; private set; }

    public bool Complete => Received == _samples.Length;

    public bool Has(uint index) => _samples[index] is not null;

    public void Add(Sample sample, long bytes)
    {
        _samples[sample.Index] = sample;
        Received++;
        Bytes += bytes;
    }

    public Sample[] Samples() => [.. _samples.Select(s => s!)];
}
