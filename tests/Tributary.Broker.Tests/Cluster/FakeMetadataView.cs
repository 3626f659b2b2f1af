using Tributary.Broker.Metadata;

namespace Tributary.Broker.Tests.Cluster;

/// <summary>A metadata view whose image the test publishes.</summary>
internal sealed class FakeMetadataView : IMetadataView
{
    private MetadataImage _current = MetadataImage.Empty("test-cluster");

    public MetadataImage Current => Volatile.Read(ref _current);

    public event Action<MetadataImage, MetadataImage>? Changed;

    public void Publish(MetadataImage next)
    {
        var previous = Interlocked.Exchange(ref _current, next);
        Changed?.Invoke(previous, next);
    }

    public void PublishOffset(long offset) => Publish(Current with { Offset = offset });
}
