namespace Tributary.Protocol.Generator;

/// <summary>One schema file: a request, response, header, data or metadata record definition.</summary>
public sealed class MessageSpec
{
    public required string Name { get; init; }

    public required SchemaKind Kind { get; init; }

    /// <summary>Folder under the schema root the file came from: messages, metadata or coordinator.</summary>
    public required string Group { get; init; }

    /// <summary>File path relative to the schema root, with '/' separators.</summary>
    public required string SourcePath { get; init; }

    public short? ApiKey { get; init; }

    public required VersionRange ValidVersions { get; init; }

    public required VersionRange FlexibleVersions { get; init; }

    public IReadOnlyList<string> Listeners { get; init; } = [];

    public bool LatestVersionUnstable { get; init; }

    public VersionRange DeprecatedVersions { get; init; } = VersionRange.None;

    public required IReadOnlyList<FieldSpec> Fields { get; init; }

    /// <summary>Every struct of the file (inline ones in declaration order, then commonStructs).</summary>
    public required IReadOnlyList<StructSpec> Structs { get; init; }
}
