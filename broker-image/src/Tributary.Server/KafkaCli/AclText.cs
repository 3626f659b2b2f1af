using System.Text;
using Tributary.Client.Admin;
using Tributary.Protocol.Acls;

namespace Tributary.Server.KafkaCli;

/// <summary>
/// ACL names as Kafka's tools read and print them: operations as "Read"/"DescribeConfigs" (any
/// case, underscores optional) on input; Java's toString of ResourcePattern and AccessControlEntry on output.
/// </summary>
public static class AclText
{
    /// <summary>Parses "All", "Read", "DescribeConfigs", "describe_configs", ... (not Any/Unknown: those are filters).</summary>
    public static AclOperation ParseOperation(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var key = text.Trim().Replace("_", "", StringComparison.Ordinal);
        foreach (var operation in Enum.GetValues<AclOperation>())
        {
            if (operation is not (AclOperation.Any or AclOperation.Unknown) && string.Equals(operation.ToString(), key, StringComparison.OrdinalIgnoreCase))
            {
                return operation;
            }
        }

        throw new CliUsageException($"Unknown operation name: {text.Trim()}. Valid values: {string.Join(", ", Enum.GetValues<AclOperation>().Where(o => o > AclOperation.Any))}");
    }

    public static AclPatternType ParsePatternType(string text) => text?.Trim().ToUpperInvariant() switch
    {
        "LITERAL" => AclPatternType.Literal,
        "PREFIXED" => AclPatternType.Prefixed,
        "MATCH" => AclPatternType.Match,
        "ANY" => AclPatternType.Any,
        _ => throw new CliUsageException($"Invalid --resource-pattern-type '{text}': expected one of literal, prefixed, match, any"),
    };

    /// <summary>"Type:name", e.g. User:alice or User:* (Kafka refuses anything else).</summary>
    public static string ValidatePrincipal(string principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var colon = principal.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && colon < principal.Length - 1
            ? principal
            : throw new CliUsageException($"expected a string in format principalType:principalName but got {principal}");
    }

    /// <summary>Java enum constant style: DescribeConfigs -> DESCRIBE_CONFIGS.</summary>
    public static string JavaName<T>(T value)
        where T : struct, Enum
    {
        var name = value.ToString();
        var sb = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
            {
                sb.Append('_');
            }

            sb.Append(char.ToUpperInvariant(name[i]));
        }

        return sb.ToString();
    }

    public static string Format(ResourcePattern pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return $"ResourcePattern(resourceType={JavaName(pattern.Type)}, name={pattern.Name}, patternType={JavaName(pattern.PatternType)})";
    }

    public static string Format(ResourcePatternFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return $"ResourcePattern(resourceType={JavaName(filter.Type)}, name={filter.Name ?? "<any>"}, patternType={JavaName(filter.PatternType)})";
    }

    public static string Format(AccessControlEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return $"(principal={entry.Principal}, host={entry.Host}, operation={JavaName(entry.Operation)}, permissionType={JavaName(entry.PermissionType)})";
    }

    /// <summary>Kafka's block for one resource: <c>{header} `{resource}`: </c>, the tab-indented entries, then a blank line.</summary>
    public static string Block(string header, string resource, IEnumerable<AccessControlEntry> entries) =>
        $"{header} `{resource}`: \n {string.Join("\n", entries.Select(e => "\t" + Format(e)))} \n\n";
}
