using System.Collections.Concurrent;
using Grpc.Core;
using MmUpt.Contracts.V1;
using MmUpt.Testing;
using Xunit.Abstractions;
using static MmUpt.Voting.Tests.Samples;

namespace MmUpt.Voting.Tests;

/// <summary>
/// Issue 11's fault drill, against the built <c>mmupt vote</c> in its own process: producers submit while the learner's
/// subscriber crashes and reconnects, while a second subscriber freezes holding groups, and while the service is killed
/// with SIGKILL and restarted on the same data folder. Every group confirmed to a producer (OK, or ALREADY_EXISTS for a
/// retry of a group already scored) must reach the learner exactly once after de-duplication by (group_id, attempt);
/// producers re-request (new attempt) whatever was not confirmed. Memory after the load returns to within 16 MiB of its level before.
/// </summary>
public sealed class FaultDrillTests(ITestOutputHelper output)
{
    private const int Producers = 4;
    private const int GroupSize = 4;
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(4);

    // Resident memory after the load may exceed its level right after the restart by this much (runtime caches, the
    // grown thread pool); the load itself peaks ~55 MiB higher, which the service must give back once idle.
    private const double ReturnBoundMiB = 16;

    private readonly ConcurrentDictionary<string, byte> _confirmed = new();
    private readonly ConcurrentDictionary<string, uint> _received = new();
    private readonly ConcurrentDictionary<string, byte> _submitted = new();
    private long _duplicates;
    private long _otherAttempts;
    private long _reRequested;
    private long _confirmedByAlreadyExists;
    private volatile VotingService.VotingServiceClient _client = null!;
    private volatile bool _crashSubscriber;

    [Fact]
    public async Task Confirmed_groups_reach_the_subscriber_exactly_once_through_subscriber_and_service_faults()
    {
        using var data = new TempDir();
        var first = await VoteProcess.StartAsync(data.Path);
        await using var firstGuard = first;
        _client = first.Client;
        using var stop = new CancellationTokenSource();
        using var end = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var producers = Enumerable.Range(0, Producers).Select(p => Task.Run(() => ProduceAsync(p, stop.Token, end.Token))).ToList();
        var learner = Task.Run(() => LearnAsync(end.Token));

        // 1. The learner's subscriber crashes without acknowledging what it holds, and reconnects.
        await UntilAsync(() => _confirmed.Count >= 300, "300 confirmed groups");
        _crashSubscriber = true;
        await UntilAsync(() => !_crashSubscriber, "the subscriber crash");

        // 2. A second subscriber freezes with groups leased to it: they return to the learner at its deadline.
        using (var frozen = new Subscriber(_client, "frozen", maxUnacknowledged: 16, ackDeadline: TimeSpan.FromSeconds(2)))
        {
            Assert.Equal(16, (await frozen.ReadAsync(16)).Count);
            var at = _confirmed.Count;
            await UntilAsync(() => _confirmed.Count >= at + 300, "300 more confirmed groups while a subscriber is frozen");
        }

        // 3. SIGKILL mid-load, and a restart on the same data folder (a new port: clients reconnect).
        await UntilAsync(() => _confirmed.Count >= 900, "900 confirmed groups");
        await first.KillAsync();
        await using var second = await VoteProcess.StartAsync(data.Path);
        var before = second.ResidentMiB();
        var recovered = (await second.Client.GetStatusAsync(new GetVotingStatusRequest())).GroupsRecovered;
        _client = second.Client;
        var peak = before;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, second.ResidentMiB());
                await Task.Delay(100, CancellationToken.None);
            }
        });
        await UntilAsync(() => _confirmed.Count >= 2000, "2000 confirmed groups after the restart");
        stop.Cancel();
        await Task.WhenAll(producers).WaitAsync(Guard);
        await UntilAsync(() => _confirmed.Keys.All(_received.ContainsKey), "every confirmed group at the learner");
        await UntilAsync(async () => (await second.Client.GetStatusAsync(new GetVotingStatusRequest())) is { GroupsReady: 0, GroupsUnacknowledged: 0 },
            "the service to hold nothing");
        sampling.Cancel();
        await sampler;
        // Memory returns after the load (Voting:IdleTrimAfter, 10 s by default): poll, no fixed sleep, until it is back
        // within the bound, or report what it is.
        var after = second.ResidentMiB();
        var settle = DateTime.UtcNow.AddSeconds(90);
        while (after > before + ReturnBoundMiB && DateTime.UtcNow < settle)
        {
            await Task.Delay(500);
            after = second.ResidentMiB();
        }
        end.Cancel();
        await learner.ContinueWith(_ => { }, TaskScheduler.Default);

        var missing = _confirmed.Keys.Where(k => !_received.ContainsKey(k)).ToList();
        output.WriteLine($"groups submitted {_submitted.Count}, confirmed {_confirmed.Count} (of which by ALREADY_EXISTS {_confirmedByAlreadyExists}), " +
                         $"received {_received.Count}, duplicates removed {_duplicates}, re-requested {_reRequested}, recovered after SIGKILL {recovered}, " +
                         $"second attempt of a received group {_otherAttempts}, missing {missing.Count}");
        output.WriteLine($"voting service RSS after restart: before {before:F0} MiB, peak {peak:F0} MiB, after {after:F0} MiB");
        Assert.Empty(missing);
        Assert.Equal(0, Interlocked.Read(ref _otherAttempts));
        Assert.All(_received.Keys, k => Assert.True(_submitted.ContainsKey(k), $"received {k}, never submitted"));
        Assert.True(_duplicates > 0, "the subscriber crash and the frozen subscriber should have caused redeliveries");
        Assert.True(peak > before + ReturnBoundMiB, $"the load should have grown resident memory (peak {peak:F0} MiB, {before:F0} MiB before)");
        Assert.True(after <= before + ReturnBoundMiB, $"resident memory {after:F0} MiB after the load, {before:F0} MiB before, {peak:F0} MiB peak");
    }

    // One group per Submit call; a failed call is re-requested as a new attempt until the group is confirmed.
    private async Task ProduceAsync(int producer, CancellationToken stop, CancellationToken end)
    {
        var text = new string('r', 4000);
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var id = $"p{producer}-{i}";
            _submitted[id] = 0;
            for (uint attempt = 0; !end.IsCancellationRequested; attempt++)
            {
                var samples = Enumerable.Range(0, GroupSize)
                    .Select(s => Text(id, (uint)s, GroupSize, $"{text} \\boxed{{{(i + s) % 3}}}", attempt)).ToArray();
                var (_, status) = await VotingTestServer.SubmitAsync(_client, samples);
                if (status.StatusCode == StatusCode.OK)
                {
                    _confirmed[id] = 0;
                    break;
                }
                if (status.StatusCode == StatusCode.AlreadyExists)
                {
                    Interlocked.Increment(ref _confirmedByAlreadyExists);
                    _confirmed[id] = 0;
                    break;
                }
                Interlocked.Increment(ref _reRequested);
                await Task.Delay(100, CancellationToken.None);
            }
        }
    }

    // The learner side: subscribes, de-duplicates by (group_id, attempt), acknowledges; reconnects after any failure.
    private async Task LearnAsync(CancellationToken end)
    {
        while (!end.IsCancellationRequested)
        {
            try
            {
                using var call = _client.Subscribe(new SubscribeRequest { Consumer = "learner", MaxUnacknowledged = 64 }, cancellationToken: end);
                await foreach (var group in call.ResponseStream.ReadAllAsync(end))
                {
                    if (_received.TryGetValue(group.GroupId, out var attempt))
                    {
                        if (attempt == group.Attempt)
                        {
                            Interlocked.Increment(ref _duplicates);
                        }
                        else
                        {
                            Interlocked.Increment(ref _otherAttempts);
                        }
                    }
                    else
                    {
                        _received[group.GroupId] = group.Attempt;
                    }
                    if (_crashSubscriber)
                    {
                        // Crash after using this group but before acknowledging it (and what else the stream was sent).
                        _crashSubscriber = false;
                        break;
                    }
                    await _client.AcknowledgeAsync(new AcknowledgeRequest
                    {
                        Consumer = "learner",
                        Groups = { new GroupKey { GroupId = group.GroupId, Attempt = group.Attempt } },
                    }, cancellationToken: end);
                }
            }
            catch (RpcException) when (!end.IsCancellationRequested)
            {
                await Task.Delay(100, CancellationToken.None);
            }
            catch (OperationCanceledException) when (end.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private static Task UntilAsync(Func<bool> done, string what) => UntilAsync(() => Task.FromResult(done()), what);

    private static async Task UntilAsync(Func<Task<bool>> done, string what)
    {
        var deadline = DateTime.UtcNow + Guard;
        while (true)
        {
            try
            {
                if (await done())
                {
                    return;
                }
            }
            catch (RpcException)
            {
                // The service is restarting; ask again.
            }
            Assert.True(DateTime.UtcNow < deadline, $"gave up waiting for {what}");
            await Task.Delay(100);
        }
    }
}
