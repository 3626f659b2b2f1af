namespace Tributary.Server.KafkaCli;

/// <summary>A command line a Kafka tool cannot act on: printed with the tool's help, exit code 1 (as Kafka's tools do).</summary>
public sealed class CliUsageException : Exception
{
    public CliUsageException(string message) : base(message)
    {
    }

    public CliUsageException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public CliUsageException()
    {
    }
}
