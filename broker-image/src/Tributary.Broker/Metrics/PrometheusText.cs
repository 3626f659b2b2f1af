using System.Globalization;
using System.Text;

namespace Tributary.Broker.Metrics;

/// <summary>
/// The Prometheus text exposition format (version 0.0.4): name rules, escaping and number format.
/// </summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static bool IsValidMetricName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] is '_' or ':')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':');

    /// <summary>Label names: <c>[a-zA-Z_][a-zA-Z0-9_]*</c>, and <c>__</c>-prefixed names are reserved.</summary>
    public static bool IsValidLabelName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && !name.StartsWith("__", StringComparison.Ordinal)
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary>HELP text escaping: backslash and line feed.</summary>
    public static void AppendEscapedHelp(StringBuilder sb, string help)
    {
        foreach (char c in help)
        {
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                default: sb.Append(c); break;
            }
        }
    }

    /// <summary>Label value escaping: backslash, double quote and line feed.</summary>
    public static void AppendEscapedLabelValue(StringBuilder sb, string value)
    {
        foreach (char c in value)
        {
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '"': sb.Append("\\\""); break;
                case '\n': sb.Append("\\n"); break;
                default: sb.Append(c); break;
            }
        }
    }

    /// <summary>Go-compatible float text: <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>, otherwise shortest round-trip form.</summary>
    public static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    public static void AppendHeader(StringBuilder sb, string name, string help, MetricType type)
    {
        sb.Append("# HELP ").Append(name).Append(' ');
        AppendEscapedHelp(sb, help);
        sb.Append("\n# TYPE ").Append(name).Append(' ').Append(type switch
        {
            MetricType.Counter => "counter",
            MetricType.Gauge => "gauge",
            _ => "histogram",
        }).Append('\n');
    }

    /// <summary>One sample line; <paramref name="extraLabel"/> (such as <c>le</c>) goes after the family's labels.</summary>
    public static void AppendSample(StringBuilder sb, string name, IReadOnlyList<string> labelNames, IReadOnlyList<string> labelValues,
        double value, (string Name, string Value)? extraLabel = null)
    {
        sb.Append(name);
        if (labelNames.Count > 0 || extraLabel is not null)
        {
            sb.Append('{');
            for (int i = 0; i < labelNames.Count; i++)
            {
                if (i > 0)
                {
                    sb.Append(',');
                }

                sb.Append(labelNames[i]).Append("=\"");
                AppendEscapedLabelValue(sb, labelValues[i]);
                sb.Append('"');
            }

            if (extraLabel is { } extra)
            {
                if (labelNames.Count > 0)
                {
                    sb.Append(',');
                }

                sb.Append(extra.Name).Append("=\"");
                AppendEscapedLabelValue(sb, extra.Value);
                sb.Append('"');
            }

            sb.Append('}');
        }

        sb.Append(' ').Append(FormatValue(value)).Append('\n');
    }
}
