namespace Tributary.Broker.Metadata;

/// <summary>Read side of cluster metadata: the current image and a change notification.</summary>
public interface IMetadataView
{
    MetadataImage Current { get; }

    /// <summary>Raised after a new image is published, with (previous, current). Handlers must be quick.</summary>
    event Action<MetadataImage, MetadataImage>? Changed;
}
