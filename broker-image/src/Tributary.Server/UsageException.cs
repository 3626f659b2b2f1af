namespace Tributary.Server;

/// <summary>A command line the program cannot act on; reported with the usage text and exit code 2.</summary>
public sealed class UsageException : Exception
{
    public UsageException(string message) : base(message)
    {
    }
}
