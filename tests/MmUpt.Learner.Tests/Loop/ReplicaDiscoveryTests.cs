using MmUpt.Learner.Loop;
using MmUpt.Testing;
using MmUpt.Training.Dispatch;

namespace MmUpt.Learner.Tests.Loop;

/// <summary>Membership from a file (Train:Replicas:File), re-read like DNS: joins, leaves, bad lines, a file gone.</summary>
public sealed class ReplicaDiscoveryTests
{
    [Fact]
    public async Task The_set_follows_the_file_and_keeps_its_members_while_the_file_cannot_be_read()
    {
        using var dir = new TempDir();
        var file = dir.File("replicas.txt");
        File.WriteAllText(file, "http://127.0.0.1:50060\n");
        var options = new ReplicaOptions { File = file, Addresses = ["http://10.0.0.1:50051"] };
        var replicas = new ReplicaSet(options, _ => true);
        var events = new List<string>();
        replicas.Event += events.Add;
        var discovery = new ReplicaDiscovery(replicas, options);

        Assert.Equal(["http://10.0.0.1:50051", "http://127.0.0.1:50060"], await discovery.RefreshAsync(CancellationToken.None));

        File.WriteAllText(file, "# scaled up\nhttp://127.0.0.1:50060\n\n  https://127.0.0.1:50061  \nnot-an-address\nhttp://127.0.0.1:50060\n");
        await discovery.RefreshAsync(CancellationToken.None);
        Assert.Equal(["http://10.0.0.1:50051", "http://127.0.0.1:50060", "https://127.0.0.1:50061"], replicas.Snapshot().Select(r => r.Address));
        Assert.Contains(events, e => e.Contains("line 5: 'not-an-address' is not an address"));
        await discovery.RefreshAsync(CancellationToken.None);
        Assert.Single(events, e => e.Contains("not-an-address"));   // reported once per change, not every interval

        File.Delete(file);
        await discovery.RefreshAsync(CancellationToken.None);
        Assert.Equal(3, replicas.Snapshot().Count);
        Assert.Contains(events, e => e.Contains("cannot be read") && e.Contains("keeping the last membership"));

        File.WriteAllText(file, "https://127.0.0.1:50061\n");
        await discovery.RefreshAsync(CancellationToken.None);
        Assert.Equal(["http://10.0.0.1:50051", "https://127.0.0.1:50061"], replicas.Snapshot().Select(r => r.Address));
        Assert.Contains("replica http://127.0.0.1:50060 left", events);
    }

    [Theory]
    [InlineData("mmupt-rollout:50051", "http", "mmupt-rollout", 50051, "http://10.1.2.3:50051")]
    [InlineData("https://mmupt-rollout:50051", "https", "mmupt-rollout", 50051, "https://10.1.2.3:50051")]
    [InlineData("http://rollout.mmupt.svc:7", "http", "rollout.mmupt.svc", 7, "http://10.1.2.3:7")]
    public void A_dns_target_may_name_its_scheme(string text, string scheme, string host, int port, string address)
    {
        Assert.True(DnsTarget.TryParse(text, out var target));
        Assert.Equal(new DnsTarget(host, port, scheme), target);
        Assert.Equal(address, target.AddressOf(System.Net.IPAddress.Parse("10.1.2.3")));
    }
}
