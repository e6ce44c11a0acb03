using System.ComponentModel.DataAnnotations;

namespace MmUpt.Core.Options;

/// <summary>
/// Validates that a folder option names an existing directory, so a process refuses a wrong <c>--model</c> or
/// <c>--checkpoint</c> at start instead of serving (or training) until the first request needs it. Null or empty passes:
/// whether the option is required is <see cref="RequiredAttribute"/>'s business.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ExistingDirectoryAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext context)
    {
        if (value is null or "")
        {
            return ValidationResult.Success;
        }
        if (value is not string path)
        {
            return Fail($"expected a folder path, got {value.GetType().Name}", context);
        }
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            return ValidationResult.Success;
        }
        return Fail(File.Exists(full) ? $"{full} is a file, not a folder" : $"folder not found: {full}", context);
    }

    private static ValidationResult Fail(string message, ValidationContext context) =>
        new(message, context.MemberName is null ? null : [context.MemberName]);
}
