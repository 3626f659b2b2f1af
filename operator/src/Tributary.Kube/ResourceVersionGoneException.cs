using System.Text.Json.Nodes;

namespace Tributary.Kube;

/// <summary>
/// The requested resourceVersion is too old (HTTP 410, or a watch ERROR event with code 410):
/// the caller must relist and watch from the new list's resourceVersion.
/// </summary>
public sealed class ResourceVersionGoneException : KubeApiException
{
    public ResourceVersionGoneException()
        : base(410, "Gone", "resource version too old")
    {
    }

    public ResourceVersionGoneException(string message)
        : base(410, "Gone", message)
    {
    }

    public ResourceVersionGoneException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ResourceVersionGoneException(string reason, string message, JsonObject? status)
        : base(410, reason, message, status)
    {
    }
}
