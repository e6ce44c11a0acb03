namespace MmUpt.Learner.Training;

/// <summary>Running means of named values (one sample per micro-batch or optimizer step).</summary>
public sealed class MetricMeans
{
    private readonly Dictionary<string, (double Sum, int Count)> _values = [];

    public void Add(string name, double value)
    {
        var (s, c) = _values.GetValueOrDefault(name);
        _values[name] = (s + value, c + 1);
    }

    public void CopyTo(StepMetrics metrics)
    {
        foreach (var (name, (sum, count)) in _values) metrics[name] = sum / count;
    }
}
