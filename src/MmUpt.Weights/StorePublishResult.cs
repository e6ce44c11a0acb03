namespace MmUpt.Weights;

/// <summary>What <see cref="WeightsStore.Publish(ulong, Action{string})"/> made and where its time went (writing the files; hashing, syncing and renaming).</summary>
public sealed record StorePublishResult(WeightsVersion Version, TimeSpan Write, TimeSpan Seal);
