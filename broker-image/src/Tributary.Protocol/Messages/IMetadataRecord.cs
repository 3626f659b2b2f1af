using Tributary.Protocol.Metadata;

namespace Tributary.Protocol.Messages;

/// <summary>A KRaft metadata-log record body.</summary>
public interface IMetadataRecord : IProtocolMessage
{
    MetadataRecordType RecordType { get; }
}
