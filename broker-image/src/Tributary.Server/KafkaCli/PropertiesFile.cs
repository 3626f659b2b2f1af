namespace Tributary.Server.KafkaCli;

/// <summary>
/// Reads a Java properties file (what <c>--command-config</c> and <c>--add-config-file</c> name):
/// <c>key=value</c> or <c>key: value</c> lines, <c>#</c>/<c>!</c> comments, blank lines, and a
/// trailing backslash continuing a line.
/// </summary>
public static class PropertiesFile
{
    public static IReadOnlyDictionary<string, string> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimStart();
            while (line.EndsWith('\\') && i + 1 < lines.Length)
            {
                line = line[..^1] + lines[++i].TrimStart();
            }

            if (line.Length == 0 || line[0] is '#' or '!')
            {
                continue;
            }

            var split = line.IndexOfAny(['=', ':']);
            var key = (split < 0 ? line : line[..split]).Trim();
            var value = split < 0 ? "" : line[(split + 1)..].Trim();
            if (key.Length > 0)
            {
                result[key] = value;
            }
        }

        return result;
    }

    /// <summary>Reads <paramref name="path"/>; a missing or unreadable file is a usage error naming it.</summary>
    public static IReadOnlyDictionary<string, string> Load(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"Cannot read properties file {path}: {e.Message}", e);
        }
    }
}
