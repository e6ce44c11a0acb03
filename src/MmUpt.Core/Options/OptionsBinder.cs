using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace MmUpt.Core.Options;

/// <summary>
/// Binds one configuration section to a typed options class and validates it: unknown keys are rejected, data
/// annotations (<see cref="RangeAttribute"/>, <see cref="RequiredAttribute"/>...) and <see cref="IValidatableObject"/>
/// are checked, and the first failure is thrown as an <see cref="OptionsException"/> naming the key.
/// </summary>
public static class OptionsBinder
{
    public static T Bind<T>(IConfiguration configuration, string section) where T : class, new() =>
        Bind(configuration, section, new T());

    /// <summary>Binds onto <paramref name="options"/>, whose current values are the defaults.</summary>
    public static T Bind<T>(IConfiguration configuration, string section, T options) where T : class
    {
        var source = configuration.GetSection(section);
        try
        {
            source.Bind(options, b => b.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            throw new OptionsException(section, Describe(ex));
        }
        Validate(options, section);
        return options;
    }

    /// <summary>Validates an options object built in code; <paramref name="section"/> prefixes the member names in errors.</summary>
    public static void Validate(object options, string section)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            return;
        }
        var first = results[0];
        var member = first.MemberNames.FirstOrDefault();
        throw new OptionsException(member is null ? section : $"{section}:{member}", first.ErrorMessage ?? "invalid value");
    }

    /// <summary>The configuration keys of <typeparamref name="T"/>'s public settable properties, for help and dry runs.</summary>
    public static IReadOnlyList<string> KeysOf<T>() =>
        typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => p.Name).ToList();

    // The binder's messages name the property and the type; keep them but drop the stack of inner exceptions.
    private static string Describe(Exception ex)
    {
        var messages = new List<string>();
        for (var e = ex; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message.Trim());
        }
        return string.Join(" ", messages.Distinct());
    }
}
