namespace Tributary.Server;

/// <summary>Process exit codes of <c>tributary</c>.</summary>
public static class ExitCodes
{
    /// <summary>Ran and stopped cleanly (including after SIGTERM/SIGINT).</summary>
    public const int Ok = 0;

    /// <summary>Failed at run time (a port already in use, an I/O error).</summary>
    public const int Failure = 1;

    /// <summary>Refused to start: bad command line or invalid configuration. Retrying will not help.</summary>
    public const int Usage = 2;
}
