using System.Collections;
using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Spectre.Console;

namespace MmUpt.Cli;

/// <summary>
/// Status replies as tables. One process: every field of its reply, read through the message descriptor so a field added
/// to the proto shows up without a change here. Several: one row each, the columns every role shares.
/// </summary>
public static class StatusTable
{
    public static Table Detail(ProcessStatus s)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"{Markup.Escape(s.Process.InstanceId)} ({Role(s)})")
            .AddColumn("field").AddColumn("value");
        table.AddRow("address", Markup.Escape(Show(s.Address)));
        table.AddRow("health", HealthMarkup(s));
        foreach (var (name, value) in Fields(s.Process).Concat(Fields(s.Status).Where(f => f.Name != "process")))
        {
            table.AddRow(Markup.Escape(name), Markup.Escape(value));
        }
        return table;
    }

    public static Table Summary(IEnumerable<(Uri Address, ProcessStatus? Status, string? Error)> rows)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var c in new[] { "address", "role", "instance", "health", "version", "weights", "queue", "tokens/s" }) table.AddColumn(c);
        foreach (var (address, s, error) in rows)
        {
            table.AddRow(s is null
                ? [Markup.Escape(Show(address)), "", "", $"[red]{Markup.Escape(error ?? "")}[/]", "", "", "", ""]
                :
                [
                    Markup.Escape(Show(address)), Role(s), Markup.Escape(s.Process.InstanceId), HealthMarkup(s),
                    Markup.Escape(s.Process.Version), s.WeightsVersion?.ToString(CultureInfo.InvariantCulture) ?? "-",
                    s.Queue.ToString(CultureInfo.InvariantCulture), s.TokensPerSecond?.ToString("0.#", CultureInfo.InvariantCulture) ?? "-",
                ]);
        }
        return table;
    }

    /// <summary>An address as the user typed it: scheme, host and port.</summary>
    public static string Show(Uri address) => address.GetLeftPart(UriPartial.Authority);

    private static string Role(ProcessStatus s) => Enum(s.Process.Role.ToString());

    private static string HealthMarkup(ProcessStatus s) => s.Serving ? "[green]serving[/]" : $"[red]{Enum(s.Health.ToString())}[/]";

    private static IEnumerable<(string Name, string Value)> Fields(IMessage message) =>
        message.Descriptor.Fields.InFieldNumberOrder().Select(f => (f.Name.Replace('_', ' '), Format(f, f.Accessor.GetValue(message))));

    private static string Format(FieldDescriptor field, object? value) => value switch
    {
        null => "",
        IDictionary map => string.Join(", ", map.Keys.Cast<object>().OrderBy(k => k.ToString(), StringComparer.Ordinal)
            .Select(k => $"{k}={Scalar(map[k])}")),
        IList list when field.IsRepeated => string.Join(", ", list.Cast<object>().Select(Scalar)),
        _ => Scalar(value),
    };

    private static string Scalar(object? value) => value switch
    {
        Timestamp t => t.ToDateTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        Duration d => TimeSpan.FromSeconds(Math.Floor(d.ToTimeSpan().TotalSeconds)).ToString("c", CultureInfo.InvariantCulture),
        double x => x.ToString("0.###", CultureInfo.InvariantCulture),
        float x => x.ToString("0.###", CultureInfo.InvariantCulture),
        System.Enum e => Enum(e.ToString()),
        IMessage m => m.ToString() ?? "",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    // C# names of proto enum values already drop the prefix (ServingStatus.NotServing): "not serving".
    private static string Enum(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? $" {char.ToLowerInvariant(c)}" : $"{char.ToLowerInvariant(c)}"));
}
