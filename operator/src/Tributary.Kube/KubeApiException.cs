using System.Net;
using System.Text.Json.Nodes;

namespace Tributary.Kube;

/// <summary>
/// A failed Kubernetes API call: the HTTP status code plus the Status object's reason
/// (NotFound, Conflict, AlreadyExists, Gone, Expired, Invalid, ...) and message.
/// </summary>
public class KubeApiException : Exception
{
    public KubeApiException()
        : this(0, "Unknown", "Kubernetes API error")
    {
    }

    public KubeApiException(string message)
        : this(0, "Unknown", message)
    {
    }

    public KubeApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = "Unknown";
    }

    public KubeApiException(int statusCode, string reason, string message, JsonObject? status = null)
        : base($"{statusCode} {reason}: {message}")
    {
        StatusCode = statusCode;
        Reason = reason;
        ApiMessage = message;
        Status = status;
    }

    /// <summary>HTTP status code (or the Status code of a watch ERROR event).</summary>
    public int StatusCode { get; }

    /// <summary>Status reason, e.g. "NotFound", "Conflict", "AlreadyExists", "Gone", "Expired", "Invalid".</summary>
    public string Reason { get; }

    /// <summary>The server's message without the code prefix.</summary>
    public string? ApiMessage { get; }

    /// <summary>The raw Status object when the server returned one.</summary>
    public JsonObject? Status { get; }

    public bool IsNotFound => StatusCode == (int)HttpStatusCode.NotFound;

    public bool IsConflict => StatusCode == (int)HttpStatusCode.Conflict && Reason != "AlreadyExists";

    public bool IsAlreadyExists => StatusCode == (int)HttpStatusCode.Conflict && Reason == "AlreadyExists";

    public bool IsGone => StatusCode == (int)HttpStatusCode.Gone;

    public bool IsInvalid => StatusCode == (int)HttpStatusCode.UnprocessableEntity;

    /// <summary>Builds the exception from a Status object (falls back to the HTTP code and raw text).</summary>
    public static KubeApiException FromStatus(int httpStatus, JsonObject? status, string? rawBody)
    {
        var code = status?["code"].AsInt64() is { } parsed && parsed != 0 ? (int)parsed : httpStatus;
        var reason = status?.GetString("reason");
        if (string.IsNullOrEmpty(reason))
        {
            reason = DefaultReason(code);
        }
        var message = status?.GetString("message") ?? rawBody ?? "";
        return code == (int)HttpStatusCode.Gone
            ? new ResourceVersionGoneException(reason, message, status)
            : new KubeApiException(code, reason, message, status);
    }

    private static string DefaultReason(int code) => code switch
    {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        409 => "Conflict",
        410 => "Gone",
        415 => "UnsupportedMediaType",
        422 => "Invalid",
        429 => "TooManyRequests",
        500 => "InternalError",
        503 => "ServiceUnavailable",
        504 => "Timeout",
        _ => "Unknown",
    };
}
