using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Metadata;

namespace Tributary.Broker.Metadata.Controller;

/// <summary>
/// BrokerRegistration (API 62) as a pure function of the image, as Kafka's ClusterControlManager does it:
/// the cluster id must match (INCONSISTENT_CLUSTER_ID); another incarnation of a broker whose session is
/// still alive is refused (DUPLICATE_BROKER_REGISTRATION); the broker must support the finalized
/// metadata.version (UNSUPPORTED_VERSION). The broker registers fenced; its epoch is the offset of its
/// RegisterBrokerRecord. A broker registering again while still unfenced (it restarted before its session
/// expired) first loses its ISR places and leaderships, as if fenced.
/// </summary>
public static class BrokerRegistrations
{
    public static BrokerRegistrationPlan Plan(MetadataImage image, BrokerRegistrationRequest request, Func<int, bool> hasLiveSession, Func<string, bool> uncleanEnabled)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(hasLiveSession);
        ArgumentNullException.ThrowIfNull(uncleanEnabled);
        if (!string.Equals(request.ClusterId, image.ClusterId, StringComparison.Ordinal))
        {
            return Fail(ErrorCode.InconsistentClusterId, $"Expected cluster ID {image.ClusterId}, but got cluster ID {request.ClusterId}");
        }

        if (request.BrokerId < 0)
        {
            return Fail(ErrorCode.InvalidRequest, $"Invalid broker id {request.BrokerId}");
        }

        var existing = image.Brokers.GetValueOrDefault(request.BrokerId);
        if (existing is not null && hasLiveSession(request.BrokerId) && existing.IncarnationId != request.IncarnationId)
        {
            return Fail(ErrorCode.DuplicateBrokerRegistration,
                "Another broker is registered with that broker id. If the broker was recently restarted this should self-resolve once the heartbeat manager expires the broker's session.");
        }

        foreach (var (name, level) in image.Features)
        {
            var supported = request.Features.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal));
            var (min, max) = supported is null ? ((short)0, (short)0) : (supported.MinSupportedVersion, supported.MaxSupportedVersion);
            if (level < min || level > max)
            {
                return Fail(ErrorCode.UnsupportedVersion,
                    $"Unable to register because the broker does not support version {level} of {name}. It wants a version between {min} and {max}, inclusive.");
            }
        }

        var records = new List<IMetadataRecord>();
        if (existing is { Fenced: false })
        {
            BrokerPartitionChanges.RemoveFromIsrs(image, existing.Id, uncleanEnabled, records);
        }

        var epoch = image.Offset + 1 + records.Count;
        var record = new RegisterBrokerRecord
        {
            BrokerId = request.BrokerId,
            IncarnationId = request.IncarnationId,
            BrokerEpoch = epoch,
            Rack = string.IsNullOrEmpty(request.Rack) ? null : request.Rack,
            Fenced = true,
            InControlledShutdown = false,
            LogDirs = [.. request.LogDirs],
            EndPoints = [.. request.Listeners.Select(l => new RegisterBrokerRecord.BrokerEndpoint
            {
                Name = l.Name,
                Host = l.Host,
                Port = l.Port,
                SecurityProtocol = l.SecurityProtocol,
            })],
            Features = [.. request.Features.Select(f => new RegisterBrokerRecord.BrokerFeature
            {
                Name = f.Name,
                MinSupportedVersion = f.MinSupportedVersion,
                MaxSupportedVersion = f.MaxSupportedVersion,
            })],
        };
        records.Add(record);
        return new BrokerRegistrationPlan(ErrorCode.None, null, records, epoch);
    }

    private static BrokerRegistrationPlan Fail(ErrorCode error, string message) => new(error, message, [], -1);
}
