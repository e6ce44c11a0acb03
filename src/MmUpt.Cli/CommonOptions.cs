using System.CommandLine;

namespace MmUpt.Cli;

/// <summary>The flags every subcommand spells the same way.</summary>
public static class CommonOptions
{
    public static Option<string> Host() => new("--host")
    {
        Description = "Address to bind (default 127.0.0.1; 0.0.0.0 serves other machines).",
        HelpName = "ADDRESS",
    };

    public static Option<int> Port(int defaultPort) => new("--port")
    {
        Description = $"TCP port (default {defaultPort}; 0 picks a free one and prints it).",
        HelpName = "PORT",
    };

    public static Option<int> MetricsPort() => new("--metrics-port")
    {
        Description = "Serve Prometheus metrics at http://HOST:PORT/metrics over HTTP/1.1 (default 0: none).",
        HelpName = "PORT",
    };

    public static Option<string> Config() => new("--config")
    {
        Description = "JSON configuration file; environment variables MMUPT_Section__Key and flags override it.",
        HelpName = "FILE",
    };

    public static Option<string> Device() => new("--device")
    {
        Description = "Engine device: cpu (default), cuda or cuda:N (CUDA builds only).",
        HelpName = "DEVICE",
    };

    public static Option<long> Seed() => new("--seed")
    {
        Description = "Seed of every random choice (default 1).",
        HelpName = "N",
    };

    public static Option<string> Out(string what) => new("--out")
    {
        Description = what,
        HelpName = "DIR",
    };

    public static Option<string> Id() => new("--id")
    {
        Description = "Instance id shown in status and attached to results (default ROLE@HOST:PORT).",
        HelpName = "NAME",
    };

    public static Option<long> MaxImagePixels() => new("--max-image-pixels")
    {
        Description = "Refuse images with more pixels than this, from their header, before decoding (default 50000000).",
        HelpName = "N",
        DefaultValueFactory = _ => Processing.Images.ImageLimits.Default.MaxPixels,
    };

    public static Option<bool> DryRun() => new("--dry-run")
    {
        Description = "Print the resolved configuration as JSON and exit.",
    };
}
