namespace Tributary.Protocol.Messages;

/// <summary>A response body (the part after the response header).</summary>
public interface IApiResponse : IApiMessage
{
}
