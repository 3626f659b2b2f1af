using System.Text;
using System.Text.Json;

namespace Tributary.Protocol.Generator;

/// <summary>
/// Loads Kafka's JSON schema files. The files carry // line comments, so lines whose first
/// non-blank characters are // are dropped before the text reaches the JSON parser.
/// </summary>
public static class SchemaLoader
{
    /// <summary>The sub-folders read, in the order their files are reported.</summary>
    public static readonly IReadOnlyList<string> Groups = ["messages", "metadata", "coordinator"];

    /// <summary>Loads every *.json file of every group, sorted by relative path (ordinal).</summary>
    public static IReadOnlyList<MessageSpec> LoadAll(string schemaRoot)
    {
        var specs = new List<MessageSpec>();
        foreach (var group in Groups)
        {
            var dir = Path.Combine(schemaRoot, group);
            if (!Directory.Exists(dir))
            {
                throw new DirectoryNotFoundException($"schema folder '{dir}' is missing");
            }

            var files = Directory.GetFiles(dir, "*.json");
            Array.Sort(files, StringComparer.Ordinal);
            foreach (var file in files)
            {
                specs.Add(Load(file, group));
            }
        }

        return specs;
    }

    public static string StripComments(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        foreach (var line in text.Split('\n'))
        {
            if (line.TrimStart().StartsWith("//", StringComparison.Ordinal))
            {
                // Keep the line break so JSON error positions still match the file.
                builder.Append('\n');
                continue;
            }

            builder.Append(line).Append('\n');
        }

        return builder.ToString();
    }

    public static MessageSpec Load(string path, string group)
    {
        var text = StripComments(File.ReadAllText(path));
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        var name = Required(root, "name", path);
        try
        {
            return Parse(root, name, group, $"{group}/{Path.GetFileName(path)}");
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or KeyNotFoundException or InvalidOperationException or OverflowException)
        {
            throw new InvalidDataException($"{path}: {ex.Message}", ex);
        }
    }

    private static MessageSpec Parse(JsonElement root, string name, string group, string sourcePath)
    {
        var kind = Required(root, "type", sourcePath) switch
        {
            "request" => SchemaKind.Request,
            "response" => SchemaKind.Response,
            "header" => SchemaKind.Header,
            "data" => SchemaKind.Data,
            "metadata" => SchemaKind.Metadata,
            var other => throw new InvalidDataException($"unknown schema type '{other}'"),
        };

        var structs = new List<StructSpec>();
        var fields = ParseFields(root.GetProperty("fields"), structs);
        if (root.TryGetProperty("commonStructs", out var common))
        {
            foreach (var item in common.EnumerateArray())
            {
                structs.Add(new StructSpec
                {
                    Name = Required(item, "name", sourcePath),
                    Fields = ParseFields(item.GetProperty("fields"), structs),
                });
            }
        }

        var listeners = new List<string>();
        if (root.TryGetProperty("listeners", out var listenerArray))
        {
            foreach (var item in listenerArray.EnumerateArray())
            {
                listeners.Add(item.GetString() ?? throw new InvalidDataException("null listener"));
            }
        }

        return new MessageSpec
        {
            Name = name,
            Kind = kind,
            Group = group,
            SourcePath = sourcePath,
            ApiKey = root.TryGetProperty("apiKey", out var apiKey) ? checked((short)Number(apiKey)) : null,
            ValidVersions = VersionRange.Parse(Required(root, "validVersions", sourcePath)),
            FlexibleVersions = VersionRange.Parse(Required(root, "flexibleVersions", sourcePath)),
            Listeners = listeners,
            LatestVersionUnstable = root.TryGetProperty("latestVersionUnstable", out var unstable) && unstable.GetBoolean(),
            DeprecatedVersions = root.TryGetProperty("deprecatedVersions", out var deprecated)
                ? VersionRange.Parse(deprecated.GetString() ?? "none")
                : VersionRange.None,
            Fields = fields,
            Structs = structs,
        };
    }

    private static List<FieldSpec> ParseFields(JsonElement array, List<StructSpec> structs)
    {
        var result = new List<FieldSpec>();
        foreach (var item in array.EnumerateArray())
        {
            result.Add(ParseField(item, structs));
        }

        return result;
    }

    private static FieldSpec ParseField(JsonElement item, List<StructSpec> structs)
    {
        var name = Required(item, "name", "field");
        var type = FieldType.Parse(Required(item, "type", name));
        var taggedVersions = Optional(item, "taggedVersions") is { } tv ? VersionRange.Parse(tv) : VersionRange.None;
        int? tag = item.TryGetProperty("tag", out var tagElement) ? checked((int)Number(tagElement)) : null;

        // A tagged field may omit "versions"; it then exists exactly in its tagged versions.
        var versionsText = Optional(item, "versions");
        VersionRange versions;
        if (versionsText is not null)
        {
            versions = VersionRange.Parse(versionsText);
        }
        else if (tag is not null)
        {
            versions = taggedVersions;
        }
        else
        {
            throw new InvalidDataException($"field '{name}' has no versions");
        }

        List<FieldSpec>? fields = null;
        if (item.TryGetProperty("fields", out var nested))
        {
            fields = ParseFields(nested, structs);
            var structName = type.ReferencedStruct ?? throw new InvalidDataException($"field '{name}' has fields but type {type}");
            structs.Add(new StructSpec { Name = structName, Fields = fields });
        }

        return new FieldSpec
        {
            Name = name,
            Type = type,
            Versions = versions,
            NullableVersions = Optional(item, "nullableVersions") is { } nv ? VersionRange.Parse(nv) : VersionRange.None,
            FlexibleVersions = Optional(item, "flexibleVersions") is { } fv ? VersionRange.Parse(fv) : null,
            Tag = tag,
            TaggedVersions = taggedVersions,
            Default = item.TryGetProperty("default", out var def) ? DefaultText(def) : null,
            MapKey = item.TryGetProperty("mapKey", out var mapKey) && mapKey.GetBoolean(),
            Ignorable = item.TryGetProperty("ignorable", out var ignorable) && ignorable.GetBoolean(),
            About = Optional(item, "about"),
            Fields = fields,
        };
    }

    /// <summary>A number written either as a JSON number or as a string ("tag": "0" occurs).</summary>
    private static long Number(JsonElement element) => element.ValueKind == JsonValueKind.String
        ? CSharpTypes.IntegerValue(element.GetString()!, "number")
        : element.GetInt64();

    private static string DefaultText(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.Number => element.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => throw new InvalidDataException($"unsupported default {element.GetRawText()}"),
    };

    private static string Required(JsonElement element, string property, string context) =>
        Optional(element, property) ?? throw new InvalidDataException($"{context}: missing \"{property}\"");

    private static string? Optional(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;
}
