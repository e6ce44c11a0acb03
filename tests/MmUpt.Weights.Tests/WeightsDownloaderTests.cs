using Grpc.Core;
using MmUpt.Testing;

namespace MmUpt.Weights.Tests;

/// <summary>
/// The downloader against the real service over loopback, with the stream damaged in transit by <see cref="FaultInjector"/>:
/// interruptions resume from the received bytes; corrupted and truncated files are detected and named.
/// </summary>
public sealed class WeightsDownloaderTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private WeightsStore _store = null!;
    private WeightsTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _store = new WeightsStore(_dir.File("learner"));
        _server = await WeightsTestServer.StartAsync(_store);
    }

    [Fact]
    public async Task Downloads_a_version_into_a_local_store_identical_to_the_published_one()
    {
        var published = Versions.Publish(_store, 5, 1);
        var local = new WeightsStore(_dir.File("rollout"));

        var got = await _server.Downloader().DownloadAsync(0, local);

        Assert.Equal(published.Manifest, got.Manifest);
        local.Verify(got.Number);
        foreach (var f in published.Manifest.Files)
        {
            Assert.Equal(File.ReadAllBytes(published.PathOf(f)), File.ReadAllBytes(got.PathOf(f)));
        }
        Assert.All(_server.Faults.Requests, r => Assert.Equal(0ul, r.Offset));
        // Asking again for a version already held costs no transfer.
        var requests = _server.Faults.Requests.Count;
        await _server.Downloader().DownloadAsync(got.Number, local);
        Assert.Equal(requests, _server.Faults.Requests.Count);
    }

    [Fact]
    public async Task An_interrupted_download_resumes_from_the_bytes_it_has()
    {
        Versions.Publish(_store, 5, 1);
        var local = new WeightsStore(_dir.File("rollout"));
        _server.Faults.Enqueue(Fault.CutAfterTwoChunks);

        var got = await _server.Downloader(chunkBytes: 16_384).DownloadAsync(1, local);

        local.Verify(got.Number);
        var decoder = _server.Faults.Requests.Where(r => r.File == "decoder.onnx.data").Select(r => r.Offset).ToList();
        Assert.Equal(2, decoder.Count);
        Assert.Equal(0ul, decoder[0]);
        Assert.Equal(2ul * 16_384, decoder[1]);
    }

    [Fact]
    public async Task A_partial_file_left_by_a_previous_process_is_resumed()
    {
        var published = Versions.Publish(_store, 5, 1);
        var local = new WeightsStore(_dir.File("rollout"));
        var staging = local.Stage(1, resume: true);
        var decoder = File.ReadAllBytes(Path.Combine(published.Folder, "decoder.onnx.data"));
        File.WriteAllBytes(Path.Combine(staging, "decoder.onnx.data.partial"), decoder[..70_000]);

        var got = await _server.Downloader().DownloadAsync(1, local);

        local.Verify(got.Number);
        Assert.Contains(("decoder.onnx.data", 70_000ul), _server.Faults.Requests);
    }

    [Fact]
    public async Task A_chunk_corrupted_in_transit_is_detected_and_the_file_fetched_again()
    {
        Versions.Publish(_store, 5, 1);
        var local = new WeightsStore(_dir.File("rollout"));
        _server.Faults.Enqueue(Fault.FlipByteInSecondChunk);

        var got = await _server.Downloader().DownloadAsync(1, local);

        local.Verify(got.Number);
        Assert.Equal([0ul, 0ul], _server.Faults.Requests.Where(r => r.File == "decoder.onnx.data").Select(r => r.Offset));
    }

    [Fact]
    public async Task A_file_that_stays_corrupted_is_an_integrity_error_naming_version_and_file()
    {
        Versions.Publish(_store, 5, 1);
        var local = new WeightsStore(_dir.File("rollout"));
        _server.Faults.Enqueue(Fault.FlipByteInSecondChunk, Fault.FlipByteInSecondChunk);

        var error = await Assert.ThrowsAsync<WeightsIntegrityException>(() => _server.Downloader(integrityRetries: 1).DownloadAsync(1, local));

        Assert.Equal((1ul, "decoder.onnx.data"), (error.Version, error.FileName));
        Assert.Contains("SHA-256", error.Message);
        Assert.Empty(local.Versions());
        Assert.False(File.Exists(Path.Combine(local.Stage(1, resume: true), "decoder.onnx.data.partial")));
    }

    [Fact]
    public async Task A_stream_that_ends_early_is_a_truncation_error()
    {
        Versions.Publish(_store, 5, 1);
        var local = new WeightsStore(_dir.File("rollout"));
        _server.Faults.Enqueue(Fault.EndAfterTwoChunks);

        var error = await Assert.ThrowsAsync<WeightsIntegrityException>(() => _server.Downloader(integrityRetries: 0).DownloadAsync(1, local));

        Assert.Equal((1ul, "decoder.onnx.data"), (error.Version, error.FileName));
        Assert.Contains("truncated", error.Message);
        Assert.Empty(local.Versions());
    }

    [Fact]
    public async Task A_file_truncated_at_the_source_is_an_integrity_error()
    {
        var v = Versions.Publish(_store, 5, 1);
        using (var f = new FileStream(Path.Combine(v.Folder, "vision.onnx.data"), FileMode.Open))
        {
            f.SetLength(5000);
        }
        var local = new WeightsStore(_dir.File("rollout"));

        var error = await Assert.ThrowsAsync<WeightsIntegrityException>(() => _server.Downloader().DownloadAsync(1, local));

        Assert.Equal((1ul, "vision.onnx.data"), (error.Version, error.FileName));
        Assert.Empty(local.Versions());
    }

    [Fact]
    public async Task An_unknown_version_is_the_servers_not_found()
    {
        Versions.Publish(_store, 5, 1);
        var error = await Assert.ThrowsAsync<RpcException>(() => _server.Downloader().DownloadAsync(7, new WeightsStore(_dir.File("rollout"))));
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }
}
