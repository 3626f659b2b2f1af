using System.ComponentModel;
using Tributary.Operator.Crds;

namespace Tributary.Operator.Api;

/// <summary>One client listener.</summary>
[Description("A client listener.")]
[CelRule("self.authentication != 'mtls' || self.tls", "mtls authentication requires tls: true")]
public sealed class ListenerSpec
{
    [Description("Listener name: lower-case letters and digits; controller and replication are reserved.")]
    [SchemaPattern("^[a-z0-9]{1,11}$")]
    public required string Name { get; set; }

    [Description("Port the brokers listen on. 9090 and 9091 are reserved.")]
    [SchemaMinimum(1024)]
    [SchemaMaximum(65535)]
    public required int Port { get; set; }

    [Description("internal, loadbalancer or nodeport.")]
    [SchemaDefault("internal")]
    public ListenerType Type { get; set; } = ListenerType.Internal;

    [Description("Encrypt the listener with TLS.")]
    [SchemaDefault(false)]
    public bool Tls { get; set; }

    [Description("none, scram-sha-512 or mtls.")]
    [SchemaDefault("none")]
    public ListenerAuthentication Authentication { get; set; } = ListenerAuthentication.None;
}
