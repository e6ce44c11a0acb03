using MmUpt.Testing;

namespace MmUpt.Cli.Tests;

/// <summary>
/// The credential flags end to end: a real server process with TLS and a token, asked by <c>mmupt status</c> with and
/// without them; and the token never shown by <c>--dry-run</c>.
/// </summary>
public sealed class SecurityCommandTests
{
    private const string Secret = "tok-3f9a1c0d5e";

    public static TheoryData<string[]> DryRuns => new()
    {
        { new[] { "vote" } },
        { new[] { "rollout", "--weights-source", "http://mmupt-learner:50053" } },
        { new[] { "learn" } },
        { new[] { "train", "--checkpoint", "ckpt", "--upt-data", "u.jsonl", "--rollout", "http://127.0.0.1:50051" } },
    };

    [Theory, MemberData(nameof(DryRuns))]
    public async Task Dry_run_shows_that_a_token_is_set_never_the_token(string[] command)
    {
        var (code, stdout, stderr) = await Mmupt.RunAsync(new Dictionary<string, string> { ["MMUPT_Security__Token"] = Secret },
            [.. command, "--dry-run"]);
        Assert.True(code == 0, stderr);
        Assert.Contains("\"Token\": \"(redacted)\"", stdout);
        Assert.DoesNotContain(Secret, stdout + stderr);
    }

    [Fact]
    public async Task Status_reaches_a_TLS_and_token_server_only_with_the_CA_and_the_token()
    {
        using var pki = new TestPki();
        var token = Path.Combine(pki.Folder, "token");
        await File.WriteAllTextAsync(token, Secret);
        var (server, address) = await Mmupt.StartServerAsync("vote", "--port", "0", "--id", "secured-vote",
            "--tls-cert", pki.ServerCertFile, "--tls-key", pki.ServerKeyFile, "--token-file", token);
        await using var _ = server;
        Assert.Equal("https", address.Scheme);
        Assert.DoesNotContain(Secret, server.Stdout + server.Stderr);

        var ok = await Mmupt.RunAsync("status", "--address", address.ToString(), "--tls-ca", pki.CaFile, "--token-file", token);
        Assert.True(ok.ExitCode == 0, ok.Stderr);
        Assert.Contains("secured-vote", ok.Stdout);

        var noToken = await Mmupt.RunAsync("status", "--address", address.ToString(), "--tls-ca", pki.CaFile);
        Assert.Equal(1, noToken.ExitCode);
        Assert.Contains("wants a bearer token", noToken.Stderr);
        // The token from the environment, as a container's health check beside the server would have it.
        var fromEnvironment = await Mmupt.RunAsync(new Dictionary<string, string> { ["MMUPT_Security__TokenFile"] = token },
            "status", "--address", address.ToString(), "--tls-ca", pki.CaFile);
        Assert.True(fromEnvironment.ExitCode == 0, fromEnvironment.Stderr);

        var untrusted = await Mmupt.RunAsync("status", "--address", address.ToString(), "--token-file", token);
        Assert.Equal(1, untrusted.ExitCode);
        var plaintext = await Mmupt.RunAsync("status", "--address", address.ToString().Replace("https", "http"), "--token-file", token);
        Assert.Equal(1, plaintext.ExitCode);
        foreach (var run in new[] { noToken, untrusted, plaintext }) Assert.DoesNotContain("   at ", run.Stderr);

        var badKey = await Mmupt.RunAsync("vote", "--port", "0", "--tls-cert", pki.ServerCertFile, "--tls-key", pki.CaFile);
        Assert.Equal(2, badKey.ExitCode);
        Assert.StartsWith("error: --tls-cert (Security:Certificate): cannot load", badKey.Stderr);
    }
}
