namespace Tributary.Protocol.Messages;

/// <summary>A request body (the part after the request header).</summary>
public interface IApiRequest : IApiMessage
{
}
