using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MmUpt.Testing;

/// <summary>Scrapes a real <c>/metrics</c> endpoint over HTTP/1.1 and reads series from the Prometheus text format.</summary>
public sealed class MetricsScrape
{
    private readonly Dictionary<string, double> _series;

    private MetricsScrape(string text)
    {
        Text = text;
        _series = text.Split('\n')
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => (Key: l[..l.LastIndexOf(' ')], Value: l[(l.LastIndexOf(' ') + 1)..]))
            .ToDictionary(p => p.Key, p => double.Parse(p.Value, NumberStyles.Float, CultureInfo.InvariantCulture), StringComparer.Ordinal);
    }

    public string Text { get; }

    /// <summary>A free loopback TCP port (the kernel's pick, released for the server to bind).</summary>
    public static int FreePort() => FreePorts(1)[0];

    /// <summary><paramref name="count"/> distinct free loopback ports: all are held until the last is picked.</summary>
    public static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }

    /// <summary>GET http://127.0.0.1:PORT/metrics with HTTP/1.1 exactly; fails on any status but 200.</summary>
    public static async Task<MetricsScrape> GetAsync(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(1) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/metrics")
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return new MetricsScrape(await response.Content.ReadAsStringAsync());
    }

    /// <summary>The value of one series, e.g. <c>mmupt_voting_samples_rejected_total{reason="invalid"}</c>.</summary>
    public double this[string series] =>
        _series.TryGetValue(series, out var v) ? v : throw new KeyNotFoundException($"no series {series} in:\n{Text}");

    public bool Has(string series) => _series.ContainsKey(series);
}
