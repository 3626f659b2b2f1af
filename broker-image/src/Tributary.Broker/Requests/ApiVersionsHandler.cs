using Tributary.Broker.Network;
using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Requests;

/// <summary>ApiVersions: advertises exactly the handlers this broker has, with their version ranges.</summary>
public sealed class ApiVersionsHandler : RequestHandler<ApiVersionsRequest, ApiVersionsResponse>
{
    private readonly Func<HandlerTable> _table;

    /// <param name="table">The broker's handler table (resolved lazily: this handler is in it).</param>
    public ApiVersionsHandler(Func<HandlerTable> table)
        : base(ApiKey.ApiVersions, 0, 4) => _table = table;

    protected override ValueTask<ApiVersionsResponse?> HandleAsync(RequestContext context, RequestHeader header, ApiVersionsRequest request, CancellationToken ct)
    {
        // v3+ clients send their software name/version; a malformed one is INVALID_REQUEST (KIP-511).
        if (header.RequestApiVersion >= 3 && !(IsValidSoftwareField(request.ClientSoftwareName) && IsValidSoftwareField(request.ClientSoftwareVersion)))
        {
            return ValueTask.FromResult<ApiVersionsResponse?>(new ApiVersionsResponse { ErrorCode = (short)ErrorCode.InvalidRequest });
        }

        return ValueTask.FromResult<ApiVersionsResponse?>(Build(_table(), ErrorCode.None));
    }

    public static ApiVersionsResponse Build(HandlerTable table, ErrorCode error)
    {
        ArgumentNullException.ThrowIfNull(table);
        var response = new ApiVersionsResponse { ErrorCode = (short)error };
        foreach (var handler in table.Handlers)
        {
            response.ApiKeys.Add(new ApiVersionsResponse.ApiVersion
            {
                ApiKey = (short)handler.Key,
                MinVersion = handler.MinVersion,
                MaxVersion = handler.MaxVersion,
            });
        }

        return response;
    }

    /// <summary>KIP-511: letters, digits, '.', '-' and '_', starting and ending alphanumeric.</summary>
    private static bool IsValidSoftwareField(string value)
    {
        if (value.Length == 0)
        {
            return true;
        }

        if (!char.IsAsciiLetterOrDigit(value[0]) || !char.IsAsciiLetterOrDigit(value[^1]))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }
}
