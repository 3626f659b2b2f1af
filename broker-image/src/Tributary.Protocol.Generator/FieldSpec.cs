namespace Tributary.Protocol.Generator;

/// <summary>One field of a schema struct, with every version attribute resolved.</summary>
public sealed class FieldSpec
{
    public required string Name { get; init; }

    public required FieldType Type { get; init; }

    /// <summary>Versions that carry the field (inline or tagged).</summary>
    public required VersionRange Versions { get; init; }

    public required VersionRange NullableVersions { get; init; }

    /// <summary>Field-level override of the message's flexible versions, if any.</summary>
    public VersionRange? FlexibleVersions { get; init; }

    public int? Tag { get; init; }

    public VersionRange TaggedVersions { get; init; } = VersionRange.None;

    /// <summary>The schema's "default" as text (JSON numbers and booleans converted), or null when absent.</summary>
    public string? Default { get; init; }

    public bool MapKey { get; init; }

    public bool Ignorable { get; init; }

    public string? About { get; init; }

    /// <summary>For inline struct types, the struct's fields; otherwise null.</summary>
    public IReadOnlyList<FieldSpec>? Fields { get; init; }

    /// <summary>True when some version may hold null (or the default is null).</summary>
    public bool IsNullableType => !NullableVersions.IsEmpty || Default == "null";

    public bool IsTagged => Tag is not null;

    /// <summary>Versions where the field is written in the tagged section.</summary>
    public VersionRange TaggedRange => IsTagged ? Versions.Intersect(TaggedVersions) : VersionRange.None;

    /// <summary>
    /// Versions where the field is written inline. A tagged field whose tagged versions start later
    /// than its versions is inline before that (taggedVersions must be open-ended).
    /// </summary>
    public VersionRange InlineRange => !IsTagged
        ? Versions
        : TaggedVersions.IsEmpty ? Versions : Versions.Intersect(new VersionRange(0, (short)(TaggedVersions.Lowest - 1)));
}
