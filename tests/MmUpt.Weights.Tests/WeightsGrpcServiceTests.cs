using Grpc.Core;
using MmUpt.Contracts.V1;
using MmUpt.Testing;

namespace MmUpt.Weights.Tests;

/// <summary>WeightsService on a real Kestrel server: manifests, chunking, and every refusal with its status code.</summary>
public sealed class WeightsGrpcServiceTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private WeightsStore _store = null!;
    private WeightsTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _store = new WeightsStore(_dir.File("store"), keepVersions: 2);
        _server = await WeightsTestServer.StartAsync(_store);
    }

    [Fact]
    public async Task Nothing_published_is_not_found()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _server.Client.GetManifestAsync(new GetManifestRequest()).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task Manifest_of_the_newest_and_of_a_given_version_unknown_and_pruned_ones_are_not_found()
    {
        var v1 = Versions.Publish(_store, 1, 1);
        var v2 = Versions.Publish(_store, 2, 2);
        Assert.Equal(v2.Manifest, await _server.Client.GetManifestAsync(new GetManifestRequest()));
        Assert.Equal(v1.Manifest, await _server.Client.GetManifestAsync(new GetManifestRequest { Version = 1 }));
        Versions.Publish(_store, 3, 3);

        foreach (var version in new ulong[] { 1, 99 })
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => _server.Client.GetManifestAsync(new GetManifestRequest { Version = version }).ResponseAsync);
            Assert.Equal(StatusCode.NotFound, error.StatusCode);
            Assert.Contains($"{version}", error.Status.Detail);
            var download = await Assert.ThrowsAsync<RpcException>(() => ReadAll(new DownloadRequest { Version = version, FileName = "decoder.onnx.data" }));
            Assert.Equal(StatusCode.NotFound, download.StatusCode);
        }
    }

    [Fact]
    public async Task Download_streams_the_file_in_capped_chunks_from_any_offset()
    {
        var v = Versions.Publish(_store, 1, 1);
        var expected = Versions.Content("vision.onnx.data", 1);

        var whole = await ReadAll(new DownloadRequest { Version = 1, FileName = "vision.onnx.data", ChunkSize = 50_000 });
        Assert.Equal(expected, whole.SelectMany(c => c.Data).ToArray());
        Assert.All(whole, c => Assert.Equal((ulong)expected.Length, c.TotalSize));
        Assert.All(whole, c => Assert.InRange(c.Data.Length, 1, 50_000));

        var tail = await ReadAll(new DownloadRequest { Version = 1, FileName = "vision.onnx.data", Offset = 123_457 });
        Assert.Equal(123_457ul, tail[0].Offset);
        Assert.Equal(expected[123_457..], tail.SelectMany(c => c.Data).ToArray());

        var atEnd = await ReadAll(new DownloadRequest { Version = 1, FileName = "vision.onnx.data", Offset = (ulong)expected.Length });
        Assert.Empty(atEnd);

        Assert.True(WeightsGrpcService.MaxChunkBytes < 4 << 20);
        var big = Versions.Publish(_store, 2, 2, bytes: 9 << 20);
        var capped = await ReadAll(new DownloadRequest { Version = big.Number, FileName = "decoder.onnx.data", ChunkSize = 64 << 20 });
        Assert.Equal(WeightsGrpcService.MaxChunkBytes, capped[0].Data.Length);
        Assert.Equal(9 << 20, capped.Sum(c => c.Data.Length));
    }

    [Theory]
    [InlineData("../v1/decoder.onnx.data")]
    [InlineData("/etc/passwd")]
    [InlineData("manifest.json")]
    [InlineData("nope.onnx.data")]
    [InlineData("")]
    public async Task A_file_name_outside_the_manifest_is_invalid_argument(string name)
    {
        Versions.Publish(_store, 1, 1);
        var error = await Assert.ThrowsAsync<RpcException>(() => ReadAll(new DownloadRequest { Version = 1, FileName = name }));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("file_name:", error.Status.Detail);
    }

    [Fact]
    public async Task An_offset_past_the_end_is_invalid_argument()
    {
        var v = Versions.Publish(_store, 1, 1);
        var size = v.File("decoder.onnx.data")!.SizeBytes;
        var error = await Assert.ThrowsAsync<RpcException>(() => ReadAll(new DownloadRequest { Version = 1, FileName = "decoder.onnx.data", Offset = size + 1 }));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("offset:", error.Status.Detail);
    }

    [Fact]
    public async Task A_file_truncated_on_disk_is_data_loss()
    {
        var v = Versions.Publish(_store, 1, 1);
        using (var f = new FileStream(Path.Combine(v.Folder, "decoder.onnx.data"), FileMode.Open))
        {
            f.SetLength(1000);
        }
        var error = await Assert.ThrowsAsync<RpcException>(() => ReadAll(new DownloadRequest { Version = 1, FileName = "decoder.onnx.data" }));
        Assert.Equal(StatusCode.DataLoss, error.StatusCode);
    }

    private async Task<List<WeightsChunk>> ReadAll(DownloadRequest request)
    {
        using var call = _server.Client.Download(request);
        var chunks = new List<WeightsChunk>();
        await foreach (var c in call.ResponseStream.ReadAllAsync())
        {
            chunks.Add(c);
        }
        return chunks;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }
}
