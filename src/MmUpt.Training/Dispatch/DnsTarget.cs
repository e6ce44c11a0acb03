namespace MmUpt.Training.Dispatch;

/// <summary>
/// A <c>host:port</c> name whose resolved addresses are the rollout replicas; <c>https://host:port</c> when they serve
/// TLS (<c>http://</c> may be spelt out too).
/// </summary>
public sealed record DnsTarget(string Host, int Port, string Scheme = "http")
{
    public static bool TryParse(string text, out DnsTarget target)
    {
        target = new DnsTarget("", 0);
        var scheme = "http";
        foreach (var s in new[] { "http", "https" })
        {
            if (!text.StartsWith(s + "://", StringComparison.Ordinal)) continue;
            scheme = s;
            text = text[(s.Length + 3)..];
        }
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], out var port) || port is < 1 or > 65535) return false;
        target = new DnsTarget(text[..colon], port, scheme);
        return true;
    }

    /// <summary>The replica address of one resolved IP, e.g. <c>http://10.0.0.7:50051</c>.</summary>
    public string AddressOf(System.Net.IPAddress ip) =>
        ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"{Scheme}://[{ip}]:{Port}" : $"{Scheme}://{ip}:{Port}";
}
