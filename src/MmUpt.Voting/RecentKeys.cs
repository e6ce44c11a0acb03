namespace MmUpt.Voting;

/// <summary>The last <c>capacity</c> keys added, with a value each; the oldest is forgotten first. Not thread-safe.</summary>
internal sealed class RecentKeys<TKey, TValue>(int capacity) where TKey : notnull
{
    private readonly Dictionary<TKey, TValue> _values = [];
    private readonly Queue<TKey> _order = new();

    public int Count => _values.Count;

    public IEnumerable<TKey> Keys => _order.Where(_values.ContainsKey);

    public bool TryGetValue(TKey key, out TValue value) => _values.TryGetValue(key, out value!);

    public void Add(TKey key, TValue value)
    {
        if (_values.TryAdd(key, value))
        {
            _order.Enqueue(key);
        }
        while (_order.Count > capacity)
        {
            _values.Remove(_order.Dequeue());
        }
    }

    public void Remove(TKey key) => _values.Remove(key);
}
