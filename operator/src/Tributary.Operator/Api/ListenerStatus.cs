using System.ComponentModel;

namespace Tributary.Operator.Api;

/// <summary>Where clients reach one listener.</summary>
[Description("Addresses of one listener.")]
public sealed class ListenerStatus
{
    [Description("Listener name.")]
    public required string Name { get; set; }

    [Description("Comma-separated bootstrap host:port list for clients.")]
    public string? BootstrapServers { get; set; }
}
