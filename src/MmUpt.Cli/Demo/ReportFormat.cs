using System.Globalization;

namespace MmUpt.Cli.Demo;

/// <summary>How the report prints numbers from the run files: shares as percentages with one decimal, changes in points.</summary>
public static class ReportFormat
{
    public static string Percent(double share) =>
        double.IsFinite(share) ? (share * 100).ToString("F1", CultureInfo.InvariantCulture) + "%" : "–";

    /// <summary>Signed change in percentage points, e.g. <c>+2.5 pt</c>.</summary>
    public static string Points(double before, double after) =>
        double.IsFinite(before) && double.IsFinite(after)
            ? ((after - before) * 100).ToString("+0.0;−0.0;0.0", CultureInfo.InvariantCulture) + " pt"
            : "–";

    public static string Number(double value, string format = "F4") =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "–";

    public static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);
}
