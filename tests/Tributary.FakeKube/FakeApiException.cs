using System.Text.Json.Nodes;

namespace Tributary.FakeKube;

/// <summary>An API error the fake server returns as a metav1 Status.</summary>
public sealed class FakeApiException : Exception
{
    public FakeApiException()
        : this(500, "InternalError", "internal error")
    {
    }

    public FakeApiException(string message)
        : this(500, "InternalError", message)
    {
    }

    public FakeApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = 500;
        Reason = "InternalError";
    }

    public FakeApiException(int code, string reason, string message, JsonObject? details = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
    }

    public int Code { get; }

    public string Reason { get; }

    public JsonObject? Details { get; }

    public JsonObject ToStatus() => Status(Code, Reason, Message, Details);

    public static JsonObject Status(int code, string reason, string message, JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = code < 400 ? "Success" : "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = code,
        };
        if (details is not null)
        {
            status["details"] = details;
        }
        return status;
    }

    public static FakeApiException NotFound(ResourceInfo info, string name) =>
        new(404, "NotFound", $"{info.Qualified} \"{name}\" not found", info.Details(name));

    public static FakeApiException AlreadyExists(ResourceInfo info, string name) =>
        new(409, "AlreadyExists", $"{info.Qualified} \"{name}\" already exists", info.Details(name));

    public static FakeApiException Conflict(ResourceInfo info, string name, string why) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {info.Qualified} \"{name}\": {why}", info.Details(name));

    public static FakeApiException Invalid(ResourceInfo info, string name, string why) =>
        new(422, "Invalid", $"{info.Descriptor.Kind} \"{name}\" is invalid: {why}", info.Details(name));

    public static FakeApiException BadRequest(string why) => new(400, "BadRequest", why);
}
