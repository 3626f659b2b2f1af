namespace Tributary.Broker.Metadata;

/// <summary>
/// A metadata commit was attempted on a node that is not (or stopped being) the active
/// controller; the records were not committed. Request handlers answer NOT_CONTROLLER.
/// </summary>
public sealed class NotControllerException : Exception
{
    public NotControllerException()
        : base("this node is not the active controller")
    {
    }

    public NotControllerException(string message)
        : base(message)
    {
    }

    public NotControllerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The leader this node knows of, or -1.</summary>
    public int KnownLeaderId { get; init; } = -1;
}
