using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Tributary.Kube;

/// <summary>
/// Writes core/v1 Events. Repeats of the same (object, type, reason, message) within the process are
/// aggregated into one Event whose count and lastTimestamp grow, as kubectl describe expects.
/// </summary>
public sealed class KubeEventRecorder : IEventRecorder
{
    private const int MaxRemembered = 4096;

    private readonly IKubeClient _client;
    private readonly string _component;
    private readonly string _instance;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, (string Namespace, string Name, int Count)> _seen = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    public KubeEventRecorder(IKubeClient client, string component, string? instance = null, TimeProvider? timeProvider = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _component = component;
        _instance = instance ?? Environment.MachineName;
        _time = timeProvider ?? TimeProvider.System;
    }

    public async Task RecordAsync(JsonObject involvedObject, string type, string reason, string message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(involvedObject);
        var ns = involvedObject.Namespace() is { Length: > 0 } n ? n : "default";
        var involved = new JsonObject
        {
            ["apiVersion"] = involvedObject.GetString("apiVersion"),
            ["kind"] = involvedObject.GetString("kind"),
            ["name"] = involvedObject.Name(),
            ["namespace"] = involvedObject.Namespace(),
            ["uid"] = involvedObject.Uid(),
            ["resourceVersion"] = involvedObject.ResourceVersion(),
        };
        var key = string.Join('\u0001', ns, involvedObject.GetString("kind"), involvedObject.Name(), involvedObject.Uid(), type, reason, message);
        var now = KubeJson.FormatTime(_time.GetUtcNow());

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_seen.TryGetValue(key, out var previous))
            {
                var patch = new JsonObject { ["count"] = previous.Count + 1, ["lastTimestamp"] = now };
                try
                {
                    await _client.PatchAsync(ResourceDescriptor.Events, previous.Namespace, previous.Name, patch, PatchType.Merge, null, cancellationToken)
                        .ConfigureAwait(false);
                    _seen[key] = previous with { Count = previous.Count + 1 };
                    return;
                }
                catch (KubeApiException e) when (e.IsNotFound)
                {
                    // The event expired on the server; start a new one below.
                    _seen.Remove(key);
                }
            }

            var name = $"{involvedObject.Name()}.{UniqueSuffix(key, now)}";
            var evt = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Event",
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
                ["involvedObject"] = involved,
                ["reason"] = reason,
                ["message"] = message,
                ["type"] = type,
                ["count"] = 1,
                ["firstTimestamp"] = now,
                ["lastTimestamp"] = now,
                ["source"] = new JsonObject { ["component"] = _component, ["host"] = _instance },
                ["reportingComponent"] = _component,
                ["reportingInstance"] = _instance,
            };
            await _client.CreateAsync(ResourceDescriptor.Events, evt, cancellationToken).ConfigureAwait(false);
            if (_seen.Count >= MaxRemembered)
            {
                _seen.Clear();
            }
            _seen[key] = (ns, name, 1);
        }
        finally
        {
            _gate.Release();
        }
    }

    // Event names must be unique; hash the event identity with the time, like kubectl's hex suffixes.
    private static string UniqueSuffix(string key, string now)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key + now + Guid.NewGuid().ToString("N")));
        return Convert.ToHexStringLower(hash, 0, 8);
    }
}
