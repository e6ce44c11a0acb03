using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Reflection.V1Alpha;
using MmUpt.Grading.Voting;
using ProtoVoteMode = MmUpt.Contracts.V1.VoteMode;

namespace MmUpt.Voting.Tests;

/// <summary>Issue 9: the vote mode is one enum in the contract, with one mapping to the C# mode and its names.</summary>
public sealed class VoteModeContractTests
{
    [Fact]
    public void Every_mode_maps_to_the_proto_value_spelled_after_its_name_and_back()
    {
        var descriptor = Contracts.V1.VotingReflection.Descriptor.EnumTypes.Single(e => e.Name == "VoteMode");
        foreach (var mode in VoteModeNames.Modes)
        {
            var proto = VoteModeContract.ToProto(mode);
            Assert.Equal("VOTE_MODE_" + VoteModeNames.Name(mode).ToUpperInvariant(), descriptor.FindValueByNumber((int)proto).Name);
            Assert.Equal(mode, VoteModeContract.FromProto(proto));
            Assert.Equal(mode, VoteModeNames.Parse(VoteModeNames.Name(mode)));
        }
        // Every proto value but UNSPECIFIED is a mode.
        Assert.Equal(descriptor.Values.Count - 1, VoteModeNames.Modes.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => VoteModeContract.FromProto(ProtoVoteMode.Unspecified));
        Assert.Throws<ArgumentException>(() => VoteModeNames.Parse("Robust"));
    }

    [Fact]
    public async Task Server_reflection_describes_the_enum_by_name_as_grpcurl_reads_it()
    {
        await using var server = await VotingTestServer.StartAsync(new VotingOptions { Mode = "robust" });
        using var call = new ServerReflection.ServerReflectionClient(server.Channel).ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "mmupt.v1.VoteMode" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Contains("mmupt.v1.VotingService", call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name));
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var files = call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto
            .Select(b => FileDescriptorProto.Parser.ParseFrom(b)).ToList();
        var voteMode = files.SelectMany(f => f.EnumType).Single(e => e.Name == "VoteMode");
        Assert.Equal(["VOTE_MODE_UNSPECIFIED", "VOTE_MODE_FAITHFUL", "VOTE_MODE_ROBUST", "VOTE_MODE_RANDOM"], voteMode.Value.Select(v => v.Name));

        // GetStatus carries the enum; as JSON (what grpcurl prints) it reads by name.
        var status = await server.StatusAsync();
        Assert.Equal(ProtoVoteMode.Robust, status.Mode);
        Assert.Contains("\"mode\": \"VOTE_MODE_ROBUST\"", JsonFormatter.Default.Format(status));
    }
}
