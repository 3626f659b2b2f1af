namespace Tributary.Server.KafkaCli;

/// <summary>A Kafka tool's run-time failure (the broker refused, a topic is missing): printed as Kafka prints it, exit code 1.</summary>
public sealed class ToolFailure : Exception
{
    public ToolFailure(string message) : base(message)
    {
    }

    public ToolFailure(string message, Exception innerException) : base(message, innerException)
    {
    }

    public ToolFailure()
    {
    }
}
