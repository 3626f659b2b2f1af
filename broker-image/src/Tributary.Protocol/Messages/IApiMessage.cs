namespace Tributary.Protocol.Messages;

/// <summary>A request or response body of one Kafka API.</summary>
public interface IApiMessage : IProtocolMessage
{
    ApiKey ApiKey { get; }
}
