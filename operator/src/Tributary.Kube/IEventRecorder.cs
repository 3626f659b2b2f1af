using System.Text.Json.Nodes;

namespace Tributary.Kube;

/// <summary>Records Kubernetes Events about objects (shown by kubectl describe).</summary>
public interface IEventRecorder
{
    /// <summary>Records an event; type is <see cref="EventTypes.Normal"/> or <see cref="EventTypes.Warning"/>.</summary>
    Task RecordAsync(JsonObject involvedObject, string type, string reason, string message, CancellationToken cancellationToken = default);
}
