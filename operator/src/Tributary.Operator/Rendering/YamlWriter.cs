using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Tributary.Operator.Rendering;

/// <summary>
/// Writes a JSON tree as block-style YAML, kubectl layout, keys in the tree's order. The output is a
/// pure function of the input, so checked-in CRDs and golden files compare byte for byte.
/// Strings are quoted only when a YAML 1.1 or 1.2 reader could take them for something else.
/// </summary>
public static partial class YamlWriter
{
    private static readonly JsonSerializerOptions QuoteOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One YAML document (no leading ---).</summary>
    public static string Write(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var sb = new StringBuilder();
        switch (node)
        {
            case JsonObject o when o.Count > 0:
                WriteMapping(sb, o, 0);
                break;
            case JsonArray a when a.Count > 0:
                WriteSequence(sb, a, 0);
                break;
            default:
                sb.Append(Scalar(node)).Append('\n');
                break;
        }

        return sb.ToString();
    }

    /// <summary>Several documents separated by ---.</summary>
    public static string WriteAll(IEnumerable<JsonNode> nodes) =>
        string.Join("---\n", nodes.Select(Write));

    private static void WriteMapping(StringBuilder sb, JsonObject obj, int indent)
    {
        foreach (var (key, value) in obj)
        {
            sb.Append(' ', indent).Append(Key(key)).Append(':');
            WriteAfterKey(sb, value, indent);
        }
    }

    private static void WriteSequence(StringBuilder sb, JsonArray array, int indent)
    {
        foreach (var item in array)
        {
            sb.Append(' ', indent).Append('-');
            switch (item)
            {
                case JsonObject o when o.Count > 0:
                    var first = true;
                    foreach (var (key, value) in o)
                    {
                        if (first)
                        {
                            sb.Append(' ');
                            first = false;
                        }
                        else
                        {
                            sb.Append(' ', indent + 2);
                        }

                        sb.Append(Key(key)).Append(':');
                        WriteAfterKey(sb, value, indent + 2);
                    }

                    break;
                case JsonArray a when a.Count > 0:
                    sb.Append('\n');
                    WriteSequence(sb, a, indent + 2);
                    break;
                default:
                    WriteScalarValue(sb, item, indent + 2);
                    break;
            }
        }
    }

    // Writes what follows "key:" for a key at the given indent.
    private static void WriteAfterKey(StringBuilder sb, JsonNode? value, int indent)
    {
        switch (value)
        {
            case JsonObject o when o.Count > 0:
                sb.Append('\n');
                WriteMapping(sb, o, indent + 2);
                break;
            case JsonArray a when a.Count > 0:
                sb.Append('\n');
                WriteSequence(sb, a, indent);
                break;
            default:
                WriteScalarValue(sb, value, indent + 2);
                break;
        }
    }

    // A scalar (or empty collection) after "key:" or "-"; block text is indented at contentIndent.
    private static void WriteScalarValue(StringBuilder sb, JsonNode? value, int contentIndent)
    {
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String && LiteralBlock(v.GetValue<string>()) is { } block)
        {
            sb.Append(' ').Append(block.Header).Append('\n');
            foreach (var line in block.Lines)
            {
                if (line.Length > 0)
                {
                    sb.Append(' ', contentIndent).Append(line);
                }

                sb.Append('\n');
            }

            return;
        }

        sb.Append(' ').Append(Scalar(value)).Append('\n');
    }

    private static string Scalar(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "{}",
        JsonArray => "[]",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => QuoteIfNeeded(v.GetValue<string>()),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => v.ToJsonString(),
            _ => throw new NotSupportedException($"unexpected JSON value {v.ToJsonString()}"),
        },
        _ => throw new NotSupportedException(node.GetType().Name),
    };

    private static string Key(string key) => QuoteIfNeeded(key);

    private static string QuoteIfNeeded(string text) =>
        NeedsQuotes(text) ? JsonSerializer.Serialize(text, QuoteOptions) : text;

    private static bool NeedsQuotes(string s)
    {
        if (s.Length == 0 || char.IsWhiteSpace(s[0]) || char.IsWhiteSpace(s[^1]))
        {
            return true;
        }

        // Indicators that start a non-plain node, and anything that may read as a number or date.
        if ("-?:,[]{}#&*!|>'\"%@`<=~+.".Contains(s[0], StringComparison.Ordinal))
        {
            return true;
        }

        // A digit-first string made only of characters that occur in YAML 1.1/1.2 numbers, dates and
        // sexagesimals (1e3, 0x1F, 2024-01-02, 1:30) might resolve to one; "100Gi" cannot.
        if (char.IsAsciiDigit(s[0]) && s.All(c => char.IsAsciiHexDigit(c) || "xXoO._:+-".Contains(c, StringComparison.Ordinal)))
        {
            return true;
        }

        if (s.Contains(": ", StringComparison.Ordinal) || s.Contains(" #", StringComparison.Ordinal) || s[^1] == ':')
        {
            return true;
        }

        foreach (var c in s)
        {
            if (char.IsControl(c) || c == '\u2028' || c == '\u2029' || c == '\uFEFF')
            {
                return true;
            }
        }

        return ReservedWord().IsMatch(s);
    }

    private static (string Header, string[] Lines)? LiteralBlock(string s)
    {
        if (!s.Contains('\n', StringComparison.Ordinal) || s.Length == 0 || s[0] == ' ' || s[0] == '\n')
        {
            return null;
        }

        foreach (var c in s)
        {
            if (c != '\n' && (char.IsControl(c) || c == '\u2028' || c == '\u2029' || c == '\uFEFF'))
            {
                return null;
            }
        }

        var body = s.TrimEnd('\n');
        var trailing = s.Length - body.Length;
        var header = trailing switch
        {
            0 => "|-",
            1 => "|",
            _ => "|+",
        };
        var lines = body.Split('\n');
        if (trailing > 1)
        {
            lines = [.. lines, .. Enumerable.Repeat(string.Empty, trailing - 1)];
        }

        return (header, lines);
    }

    [GeneratedRegex("^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL)$", RegexOptions.CultureInvariant)]
    private static partial Regex ReservedWord();

}
