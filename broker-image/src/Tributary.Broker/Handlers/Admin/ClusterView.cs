using Tributary.Broker.Metadata;

namespace Tributary.Broker.Handlers.Admin;

/// <summary>Small read helpers over the image shared by Metadata and DescribeCluster.</summary>
public static class ClusterView
{
    /// <summary>
    /// The controller id clients see: in KRaft clients cannot reach the controllers, so Kafka
    /// reports a live broker. The active controller when it is a live broker, else the lowest live broker.
    /// </summary>
    public static int ControllerIdForClients(MetadataImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.IsLive(image.ControllerId))
        {
            return image.ControllerId;
        }

        return image.LiveBrokers.Select(b => b.Id).DefaultIfEmpty(-1).First();
    }
}
