namespace Tributary.Broker.Metadata;

/// <summary>A metadata record that contradicts the image it is replayed onto (a corrupt or foreign log).</summary>
public sealed class MetadataReplayException : Exception
{
    public MetadataReplayException()
    {
    }

    public MetadataReplayException(string message)
        : base(message)
    {
    }

    public MetadataReplayException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
