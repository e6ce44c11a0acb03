using System.ComponentModel.DataAnnotations;

namespace MmUpt.Core.Options;

/// <summary>Validates an <c>http://</c> or <c>https://</c> address such as <c>http://127.0.0.1:50052</c>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class HttpAddressAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext context)
    {
        if (value is null or "" ||
            (Uri.TryCreate(value as string, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && !string.IsNullOrEmpty(uri.Host)))
        {
            return ValidationResult.Success;
        }
        return new ValidationResult($"'{value}' is not an address like http://127.0.0.1:50052",
            context.MemberName is null ? null : [context.MemberName]);
    }
}
