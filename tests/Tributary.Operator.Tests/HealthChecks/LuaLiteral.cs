using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tributary.Operator.Tests.HealthChecks;

/// <summary>Writes a JSON tree as a Lua table constructor (what Argo CD hands health scripts as obj).</summary>
internal static class LuaLiteral
{
    public static string From(JsonNode? node)
    {
        var sb = new StringBuilder();
        Write(sb, node);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, JsonNode? node)
    {
        switch (node)
        {
            case null:
                sb.Append("nil");
                break;
            case JsonObject o:
                sb.Append('{');
                foreach (var (key, value) in o)
                {
                    if (value is null)
                    {
                        continue;
                    }

                    sb.Append('[');
                    String(sb, key);
                    sb.Append("]=");
                    Write(sb, value);
                    sb.Append(',');
                }

                sb.Append('}');
                break;
            case JsonArray a:
                sb.Append('{');
                foreach (var item in a)
                {
                    Write(sb, item);
                    sb.Append(',');
                }

                sb.Append('}');
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                String(sb, v.GetValue<string>());
                break;
            case JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                sb.Append(v.GetValue<bool>() ? "true" : "false");
                break;
            case JsonValue v:
                sb.Append(v.ToJsonString());
                break;
        }
    }

    private static void String(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            // Decimal escapes for everything but plain printable ASCII: always valid Lua.
            if (b is >= 0x20 and < 0x7F && b != '"' && b != '\\')
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append('\\').Append(b.ToString("D3", CultureInfo.InvariantCulture));
            }
        }

        sb.Append('"');
    }
}
