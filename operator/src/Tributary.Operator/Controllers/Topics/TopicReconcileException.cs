namespace Tributary.Operator.Controllers.Topics;

/// <summary>
/// A reconcile that reported a transient Kafka failure in the Topic's status and must be retried with
/// backoff; the inner exception is the Kafka or transport error.
/// </summary>
public sealed class TopicReconcileException : Exception
{
    public TopicReconcileException()
    {
    }

    public TopicReconcileException(string message)
        : base(message)
    {
    }

    public TopicReconcileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
