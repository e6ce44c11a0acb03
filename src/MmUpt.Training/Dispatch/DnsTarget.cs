namespace MmUpt.Training.Dispatch;

/// <summary>A <c>host:port</c> name whose resolved addresses are the rollout replicas.</summary>
public sealed record DnsTarget(string Host, int Port)
{
    public static bool TryParse(string text, out DnsTarget target)
    {
        target = new DnsTarget("", 0);
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], out var port) || port is < 1 or > 65535) return false;
        target = new DnsTarget(text[..colon], port);
        return true;
    }

    /// <summary>The replica address of one resolved IP, e.g. <c>http://10.0.0.7:50051</c>.</summary>
    public string AddressOf(System.Net.IPAddress ip) =>
        ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"http://[{ip}]:{Port}" : $"http://{ip}:{Port}";
}
