namespace Tributary.Protocol.Messages;

/// <summary>
/// Marks a generated property with its schema version attributes (ranges written as in the schemas:
/// "3+", "0-7", "none"). Metadata only: generated Read/Write/Size never look at it. Tools and tests
/// use it to know which fields a version carries without the JSON schemas.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class ProtocolFieldAttribute : Attribute
{
    public ProtocolFieldAttribute(string versions) => Versions = versions;

    /// <summary>Versions that carry the field, inline or tagged.</summary>
    public string Versions { get; }

    public string NullableVersions { get; set; } = "none";

    /// <summary>The tag of a tagged field, or -1.</summary>
    public int Tag { get; set; } = -1;

    public string TaggedVersions { get; set; } = "none";
}
