namespace MmUpt.Cli.Demo;

/// <summary>A demo stage or child process failed; the message is the one line <c>mmupt demo</c> prints.</summary>
public sealed class DemoException(string message) : Exception(message);
