using Prometheus;

namespace MmUpt.Hosting;

/// <summary>
/// A role's Prometheus metrics, read at scrape time from the stats the role already keeps (nothing is counted twice on a
/// hot path). Register implementations as <c>services.AddSingleton&lt;IRoleMetrics, ...&gt;()</c>; the host creates
/// them on the process's own registry when <see cref="ServerOptions.MetricsPort"/> is set.
/// </summary>
public interface IRoleMetrics
{
    /// <summary>Creates the role's collectors with <paramref name="metrics"/>; returns what sets them before each scrape.</summary>
    Action Register(IMetricFactory metrics);
}
