using Tributary.Broker.Metadata;

namespace Tributary.Broker.Tests.Data;

/// <summary>An <see cref="IMetadataView"/> whose images the test publishes.</summary>
internal sealed class TestMetadataView : IMetadataView
{
    public TestMetadataView(MetadataImage image) => Current = image;

    public MetadataImage Current { get; private set; }

    public event Action<MetadataImage, MetadataImage>? Changed;

    public void Publish(MetadataImage next)
    {
        var previous = Current;
        Current = next;
        Changed?.Invoke(previous, next);
    }
}
