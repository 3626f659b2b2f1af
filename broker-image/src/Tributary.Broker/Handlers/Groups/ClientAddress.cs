using System.Net;
using Tributary.Broker.Network;

namespace Tributary.Broker.Handlers.Groups;

/// <summary>How group APIs report a member's host: Kafka's <c>InetAddress.toString()</c> form, "/127.0.0.1".</summary>
public static class ClientAddress
{
    public static string Of(RequestContext context) =>
        context.RemoteEndPoint is IPEndPoint ip ? "/" + ip.Address : string.Empty;
}
