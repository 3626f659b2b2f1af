using System.Net;
using Tributary.Broker.Config;

namespace Tributary.Broker.Network;

/// <summary>A listener after binding: the actual address and port (resolves port 0 to the ephemeral port).</summary>
public sealed record BoundListener(string Name, SecurityProtocol SecurityProtocol, IPEndPoint EndPoint);
