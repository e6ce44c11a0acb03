using Google.Protobuf;
using MmUpt.Contracts.V1;
using MmUpt.Rollout.Tests.Engine;

namespace MmUpt.Rollout.Tests.Server;

/// <summary>Generate requests for the tests.</summary>
internal static class Requests
{
    public static GenerateRequest Text(string groupId, uint g = 4, int maxNew = 8, ulong seed = 0, string question = "count the red squares") =>
        new()
        {
            RequestId = "req-" + groupId,
            GroupId = groupId,
            GroupSize = g,
            Prompt = new Prompt { PromptId = "p-" + groupId, Text = TinyExport.Prompt(question) },
            Sampling = new SamplingParams { Temperature = 1f, MaxNewTokens = maxNew, Seed = seed },
        };

    public static GenerateRequest WithImages(string groupId, params byte[][] images)
    {
        var request = Text(groupId);
        request.Prompt.Text = TinyExport.Prompt("what is shown?", images.Length);
        request.Prompt.Images.AddRange(images.Select(i => new Image { Content = ByteString.CopyFrom(i) }));
        return request;
    }
}
