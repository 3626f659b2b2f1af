namespace Tributary.Protocol.Generator;

/// <summary>The schema's top-level "type".</summary>
public enum SchemaKind
{
    Request,
    Response,
    Header,
    Data,
    Metadata,
}
