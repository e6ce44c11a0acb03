using System.ComponentModel.DataAnnotations;

namespace MmUpt.Core.Options;

/// <summary>Validates a device string (<c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>) against this build.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DeviceAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext context)
    {
        try
        {
            DeviceSpec.Parse(value as string ?? "");
            return ValidationResult.Success;
        }
        catch (Exception ex) when (ex is FormatException or NotSupportedException)
        {
            return new ValidationResult(ex.Message, context.MemberName is null ? null : [context.MemberName]);
        }
    }
}
