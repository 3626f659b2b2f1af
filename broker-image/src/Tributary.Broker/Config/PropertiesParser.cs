using System.Globalization;
using System.Text;

namespace Tributary.Broker.Config;

/// <summary>
/// Parses Java <c>.properties</c> text (the format of Kafka's <c>server.properties</c>):
/// <c>#</c>/<c>!</c> comment lines, <c>key=value</c>, <c>key: value</c> or <c>key value</c>,
/// backslash line continuation (leading whitespace of the next line is dropped), and the
/// escapes <c>\t \n \r \f \uXXXX</c> (any other escaped character stands for itself).
/// Later duplicates win, as in <c>java.util.Properties.load</c>.
/// </summary>
public static class PropertiesParser
{
    public static Dictionary<string, string> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var logical = new StringBuilder();
        int lineNumber = 0;
        int startLine = 0;
        using var reader = new StringReader(text);
        while (reader.ReadLine() is { } raw)
        {
            lineNumber++;
            // Leading whitespace is insignificant both on a new entry and on a continuation line.
            string line = raw.TrimStart(' ', '\t', '\f');
            if (logical.Length == 0)
            {
                if (line.Length == 0 || line[0] == '#' || line[0] == '!')
                {
                    continue;
                }

                startLine = lineNumber;
            }

            if (EndsWithContinuation(line))
            {
                logical.Append(line, 0, line.Length - 1);
                continue;
            }

            logical.Append(line);
            AddEntry(logical.ToString(), startLine, result);
            logical.Clear();
        }

        if (logical.Length > 0)
        {
            // A continuation on the last line simply ends the entry, as Java does.
            AddEntry(logical.ToString(), startLine, result);
        }

        return result;
    }

    /// <summary>True when the line ends in an odd number of backslashes (an escaped backslash does not continue).</summary>
    private static bool EndsWithContinuation(string line)
    {
        int count = 0;
        for (int i = line.Length - 1; i >= 0 && line[i] == '\\'; i--)
        {
            count++;
        }

        return (count & 1) == 1;
    }

    private static void AddEntry(string entry, int lineNumber, Dictionary<string, string> result)
    {
        int keyEnd = 0;
        while (keyEnd < entry.Length)
        {
            char c = entry[keyEnd];
            if (c == '\\')
            {
                keyEnd += 2;
                continue;
            }

            if (c is '=' or ':' or ' ' or '\t' or '\f')
            {
                break;
            }

            keyEnd++;
        }

        keyEnd = Math.Min(keyEnd, entry.Length);
        int valueStart = keyEnd;
        while (valueStart < entry.Length && entry[valueStart] is ' ' or '\t' or '\f')
        {
            valueStart++;
        }

        if (valueStart < entry.Length && entry[valueStart] is '=' or ':')
        {
            valueStart++;
            while (valueStart < entry.Length && entry[valueStart] is ' ' or '\t' or '\f')
            {
                valueStart++;
            }
        }

        string key = Unescape(entry.AsSpan(0, keyEnd), lineNumber);
        string value = Unescape(entry.AsSpan(valueStart), lineNumber);
        result[key] = value;
    }

    private static string Unescape(ReadOnlySpan<char> s, int lineNumber)
    {
        if (s.IndexOf('\\') < 0)
        {
            return s.ToString();
        }

        var sb = new StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c != '\\' || i + 1 >= s.Length)
            {
                // A lone trailing backslash is dropped, as Java does.
                if (c != '\\')
                {
                    sb.Append(c);
                }

                continue;
            }

            char e = s[++i];
            switch (e)
            {
                case 't': sb.Append('\t'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 'f': sb.Append('\f'); break;
                case 'u':
                    if (s.Length - (i + 1) < 4
                        || !ushort.TryParse(s.Slice(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort code))
                    {
                        throw new ConfigException($"line {lineNumber}", s.ToString(), "malformed \\uXXXX escape");
                    }

                    sb.Append((char)code);
                    i += 4;
                    break;
                default: sb.Append(e); break;
            }
        }

        return sb.ToString();
    }
}
