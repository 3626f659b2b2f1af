using Tributary.Protocol.Messages;
using Tributary.Protocol.Metadata;

namespace Tributary.Broker.Metadata.Controller;

/// <summary>
/// The broker state records for a metadata.version: BrokerRegistrationChangeRecord from 3.3-IV2
/// (level 6; its InControlledShutdown field from 3.3-IV3, level 7), Fence/UnfenceBrokerRecord before.
/// </summary>
public static class BrokerRecords
{
    private const short RegistrationChangeLevel = 6;
    private const short ControlledShutdownLevel = 7;
    private const sbyte Fence = 1;
    private const sbyte Unfence = -1;
    private const sbyte EnterControlledShutdown = 1;

    /// <summary>The finalized metadata.version of an image (0 when none was written yet).</summary>
    public static short MetadataVersion(MetadataImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image.Features.GetValueOrDefault("metadata.version");
    }

    public static IMetadataRecord Fenced(short metadataVersion, BrokerImage broker)
    {
        ArgumentNullException.ThrowIfNull(broker);
        return metadataVersion >= RegistrationChangeLevel
            ? new BrokerRegistrationChangeRecord { BrokerId = broker.Id, BrokerEpoch = broker.Epoch, Fenced = Fence }
            : new FenceBrokerRecord { Id = broker.Id, Epoch = broker.Epoch };
    }

    public static IMetadataRecord Unfenced(short metadataVersion, BrokerImage broker)
    {
        ArgumentNullException.ThrowIfNull(broker);
        return metadataVersion >= RegistrationChangeLevel
            ? new BrokerRegistrationChangeRecord { BrokerId = broker.Id, BrokerEpoch = broker.Epoch, Fenced = Unfence }
            : new UnfenceBrokerRecord { Id = broker.Id, Epoch = broker.Epoch };
    }

    /// <summary>The record marking controlled shutdown, or null when the metadata.version cannot express it.</summary>
    public static IMetadataRecord? InControlledShutdown(short metadataVersion, BrokerImage broker)
    {
        ArgumentNullException.ThrowIfNull(broker);
        return metadataVersion >= ControlledShutdownLevel
            ? new BrokerRegistrationChangeRecord { BrokerId = broker.Id, BrokerEpoch = broker.Epoch, InControlledShutdown = EnterControlledShutdown }
            : null;
    }
}
