using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Tributary.Kube;

namespace Tributary.FakeKube;

/// <summary>
/// Stands in for the StatefulSet and Deployment controllers and the kubelet. StatefulSets get pods
/// named name-ordinal with PVCs from volumeClaimTemplates (claim-pod), OnDelete semantics (existing pods
/// are never updated; a deleted pod is recreated from the current template) and a controller-revision-hash
/// label telling which template a pod was created from. Pods are marked Running and Ready.
/// </summary>
public sealed class FakeWorkloadController
{
    public const string RevisionLabel = "controller-revision-hash";
    public const string PodTemplateHashLabel = "pod-template-hash";

    private readonly ObjectStore _store;
    private readonly TimeProvider _time;
    private readonly HashSet<string> _heldNotReady = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly List<Exception> _errors = [];
    private int _podIp;

    /// <summary>Unexpected failures of the background loop (a healthy simulation has none).</summary>
    public IReadOnlyList<Exception> Errors
    {
        get
        {
            lock (_lock)
            {
                return [.. _errors];
            }
        }
    }

    public FakeWorkloadController(ObjectStore store, TimeProvider? timeProvider = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Reconciles every interval until cancelled.</summary>
    public async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                ReconcileOnce();
            }
#pragma warning disable CA1031 // the simulation must keep running; failures are kept for tests to inspect
            catch (Exception e)
#pragma warning restore CA1031
            {
                lock (_lock)
                {
                    _errors.Add(e);
                }
            }
            await Task.Delay(interval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One pass over all StatefulSets, Deployments and pods.</summary>
    public void ReconcileOnce()
    {
        lock (_lock)
        {
            foreach (var sts in _store.List(ResourceDescriptor.StatefulSets))
            {
                Guard(() => ReconcileStatefulSet(sts));
            }
            foreach (var deploy in _store.List(ResourceDescriptor.Deployments))
            {
                Guard(() => ReconcileDeployment(deploy));
            }
            foreach (var pod in _store.List(ResourceDescriptor.Pods))
            {
                Guard(() => Kubelet(pod));
            }
            // Statuses again, now that pods may have become ready.
            foreach (var sts in _store.List(ResourceDescriptor.StatefulSets))
            {
                Guard(() => UpdateStatefulSetStatus(sts));
            }
            foreach (var deploy in _store.List(ResourceDescriptor.Deployments))
            {
                Guard(() => UpdateDeploymentStatus(deploy));
            }
        }
    }

    /// <summary>Makes a pod report NotReady (and keeps it so) or Ready again.</summary>
    public void SetPodReady(string ns, string name, bool ready)
    {
        lock (_lock)
        {
            var key = ns + "/" + name;
            if (ready)
            {
                _heldNotReady.Remove(key);
            }
            else
            {
                _heldNotReady.Add(key);
            }
            if (_store.TryGet(ResourceDescriptor.Pods, ns, name) is { } pod)
            {
                WritePodStatus(pod, ready);
            }
        }
    }

    /// <summary>Template hash used for controller-revision-hash and pod-template-hash.</summary>
    public static string TemplateHash(JsonNode? template)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(template?.ToJsonString() ?? "{}"));
        return Convert.ToHexStringLower(bytes, 0, 5);
    }

    private void ReconcileStatefulSet(JsonObject sts)
    {
        if (sts.IsDeleting())
        {
            return;
        }
        var ns = sts.Namespace()!;
        var name = sts.Name()!;
        var replicas = Replicas(sts);
        var template = sts["spec"]?["template"] as JsonObject ?? new JsonObject();
        var revision = name + "-" + TemplateHash(template);
        var owned = OwnedPods(sts);
        for (var i = 0; i < replicas; i++)
        {
            var podName = name + "-" + i.ToString(CultureInfo.InvariantCulture);
            if (owned.Any(p => p.Name() == podName) || _store.TryGet(ResourceDescriptor.Pods, ns, podName) is not null)
            {
                continue;
            }
            var volumes = new JsonArray();
            if (sts["spec"]?["volumeClaimTemplates"] is JsonArray claims)
            {
                foreach (var claim in claims.OfType<JsonObject>())
                {
                    var claimName = claim.Name() + "-" + podName;
                    EnsureClaim(sts, claim, claimName);
                    volumes.Add(new JsonObject
                    {
                        ["name"] = claim.Name(),
                        ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = claimName },
                    });
                }
            }
            var labels = (template["metadata"]?["labels"] as JsonObject)?.DeepClone().AsObject() ?? new JsonObject();
            labels[RevisionLabel] = revision;
            labels["statefulset.kubernetes.io/pod-name"] = podName;
            labels["apps.kubernetes.io/pod-index"] = i.ToString(CultureInfo.InvariantCulture);
            var spec = (template["spec"] as JsonObject)?.DeepClone().AsObject() ?? new JsonObject();
            spec["hostname"] = podName;
            if (sts["spec"]?["serviceName"]?.ToString() is { Length: > 0 } service)
            {
                spec["subdomain"] = service;
            }
            if (volumes.Count > 0)
            {
                var podVolumes = spec["volumes"] as JsonArray ?? new JsonArray();
                foreach (var v in volumes)
                {
                    podVolumes.Add(v?.DeepClone());
                }
                spec["volumes"] = podVolumes;
            }
            var meta = new JsonObject
            {
                ["name"] = podName,
                ["namespace"] = ns,
                ["labels"] = labels,
                ["ownerReferences"] = new JsonArray(OwnerReference(sts)),
            };
            if (template["metadata"]?["annotations"] is JsonObject annotations)
            {
                meta["annotations"] = annotations.DeepClone();
            }
            _store.Create(ResourceDescriptor.Pods, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = meta, ["spec"] = spec });
        }
        // Scale down from the highest ordinal.
        foreach (var pod in owned.Where(p => Ordinal(name, p.Name()) >= replicas).OrderByDescending(p => Ordinal(name, p.Name())))
        {
            _store.Delete(ResourceDescriptor.Pods, ns, pod.Name()!);
        }
    }

    private void EnsureClaim(JsonObject sts, JsonObject claim, string claimName)
    {
        var ns = sts.Namespace()!;
        if (_store.TryGet(ResourceDescriptor.PersistentVolumeClaims, ns, claimName) is not null)
        {
            return;
        }
        var labels = (claim["metadata"]?["labels"] as JsonObject)?.DeepClone().AsObject() ?? new JsonObject();
        if (sts["spec"]?["selector"]?["matchLabels"] is JsonObject match)
        {
            foreach (var (k, v) in match)
            {
                labels[k] = v?.DeepClone();
            }
        }
        var created = _store.Create(ResourceDescriptor.PersistentVolumeClaims, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "PersistentVolumeClaim",
            ["metadata"] = new JsonObject { ["name"] = claimName, ["namespace"] = ns, ["labels"] = labels },
            ["spec"] = claim["spec"]?.DeepClone() ?? new JsonObject(),
        });
        created["status"] = new JsonObject
        {
            ["phase"] = "Bound",
            ["accessModes"] = claim["spec"]?["accessModes"]?.DeepClone(),
            ["capacity"] = claim["spec"]?["resources"]?["requests"]?.DeepClone(),
        };
        _store.UpdateStatus(ResourceDescriptor.PersistentVolumeClaims, created);
    }

    private void UpdateStatefulSetStatus(JsonObject sts)
    {
        if (sts.IsDeleting())
        {
            return;
        }
        var template = sts["spec"]?["template"] as JsonObject ?? new JsonObject();
        var updateRevision = sts.Name() + "-" + TemplateHash(template);
        var pods = OwnedPods(sts);
        var replicas = Replicas(sts);
        var previousCurrent = sts["status"]?["currentRevision"]?.ToString();
        // OnDelete: the current revision moves only once every pod runs the update revision.
        var currentRevision = pods.Count == replicas && pods.All(p => p.Label(RevisionLabel) == updateRevision)
            ? updateRevision
            : previousCurrent ?? updateRevision;
        var ready = pods.Count(IsReady);
        var status = new JsonObject
        {
            ["observedGeneration"] = sts.Generation(),
            ["replicas"] = pods.Count,
            ["readyReplicas"] = ready,
            ["availableReplicas"] = ready,
            ["currentReplicas"] = pods.Count(p => p.Label(RevisionLabel) == currentRevision),
            ["updatedReplicas"] = pods.Count(p => p.Label(RevisionLabel) == updateRevision),
            ["currentRevision"] = currentRevision,
            ["updateRevision"] = updateRevision,
            ["collisionCount"] = 0,
        };
        WriteStatusIfChanged(ResourceDescriptor.StatefulSets, sts, status);
    }

    private void ReconcileDeployment(JsonObject deploy)
    {
        if (deploy.IsDeleting())
        {
            return;
        }
        var ns = deploy.Namespace()!;
        var template = deploy["spec"]?["template"] as JsonObject ?? new JsonObject();
        var hash = TemplateHash(template);
        var replicas = Replicas(deploy);
        var owned = OwnedPods(deploy);
        foreach (var stale in owned.Where(p => p.Label(PodTemplateHashLabel) != hash))
        {
            _store.Delete(ResourceDescriptor.Pods, ns, stale.Name()!);
        }
        var current = owned.Where(p => p.Label(PodTemplateHashLabel) == hash).OrderBy(p => p.Name(), StringComparer.Ordinal).ToList();
        for (var i = current.Count; i < replicas; i++)
        {
            var labels = (template["metadata"]?["labels"] as JsonObject)?.DeepClone().AsObject() ?? new JsonObject();
            labels[PodTemplateHashLabel] = hash;
            _store.Create(ResourceDescriptor.Pods, new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Pod",
                ["metadata"] = new JsonObject
                {
                    ["generateName"] = deploy.Name() + "-" + hash + "-",
                    ["namespace"] = ns,
                    ["labels"] = labels,
                    ["ownerReferences"] = new JsonArray(OwnerReference(deploy)),
                },
                ["spec"] = template["spec"]?.DeepClone() ?? new JsonObject(),
            });
        }
        foreach (var extra in current.Skip(replicas))
        {
            _store.Delete(ResourceDescriptor.Pods, ns, extra.Name()!);
        }
    }

    private void UpdateDeploymentStatus(JsonObject deploy)
    {
        if (deploy.IsDeleting())
        {
            return;
        }
        var hash = TemplateHash(deploy["spec"]?["template"]);
        var pods = OwnedPods(deploy);
        var ready = pods.Count(IsReady);
        var replicas = Replicas(deploy);
        var now = KubeJson.FormatTime(_time.GetUtcNow());
        var previous = deploy["status"]?["conditions"] as JsonArray;
        var available = ready >= replicas ? "True" : "False";
        var status = new JsonObject
        {
            ["observedGeneration"] = deploy.Generation(),
            ["replicas"] = pods.Count,
            ["updatedReplicas"] = pods.Count(p => p.Label(PodTemplateHashLabel) == hash),
            ["readyReplicas"] = ready,
            ["availableReplicas"] = ready,
            ["conditions"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "Available",
                    ["status"] = available,
                    ["reason"] = available == "True" ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                    ["lastTransitionTime"] = SameCondition(previous, "Available", available)?["lastTransitionTime"]?.DeepClone() ?? now,
                }),
        };
        WriteStatusIfChanged(ResourceDescriptor.Deployments, deploy, status);
    }

    private static JsonObject? SameCondition(JsonArray? conditions, string type, string status) =>
        conditions?.OfType<JsonObject>().FirstOrDefault(c => c.GetString("type") == type && c.GetString("status") == status);

    private void Kubelet(JsonObject pod)
    {
        if (pod.IsDeleting() || _heldNotReady.Contains(pod.Key()) || IsReady(pod))
        {
            return;
        }
        WritePodStatus(pod, true);
    }

    private void WritePodStatus(JsonObject pod, bool ready)
    {
        var now = KubeJson.FormatTime(_time.GetUtcNow());
        var flag = ready ? "True" : "False";
        var ip = pod["status"]?["podIP"]?.ToString() ?? NextIp();
        var containers = new JsonArray();
        if (pod["spec"]?["containers"] is JsonArray specContainers)
        {
            foreach (var c in specContainers.OfType<JsonObject>())
            {
                containers.Add(new JsonObject
                {
                    ["name"] = c.GetString("name"),
                    ["image"] = c.GetString("image"),
                    ["ready"] = ready,
                    ["started"] = true,
                    ["restartCount"] = 0,
                    ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } },
                });
            }
        }
        var updated = (JsonObject)pod.DeepClone();
        updated["status"] = new JsonObject
        {
            ["phase"] = "Running",
            ["podIP"] = ip,
            ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = ip }),
            ["hostIP"] = "10.0.0.1",
            ["startTime"] = pod["status"]?["startTime"]?.DeepClone() ?? now,
            ["conditions"] = new JsonArray(
                Condition("PodScheduled", "True", now),
                Condition("Initialized", "True", now),
                Condition("ContainersReady", flag, now),
                Condition("Ready", flag, now)),
            ["containerStatuses"] = containers,
        };
        _store.UpdateStatus(ResourceDescriptor.Pods, updated);
    }

    private static JsonObject Condition(string type, string status, string now) => new()
    {
        ["type"] = type,
        ["status"] = status,
        ["lastTransitionTime"] = now,
    };

    private void WriteStatusIfChanged(ResourceDescriptor resource, JsonObject obj, JsonObject status)
    {
        if (JsonNode.DeepEquals(obj["status"], status))
        {
            return;
        }
        var updated = (JsonObject)obj.DeepClone();
        updated["status"] = status;
        _store.UpdateStatus(resource, updated);
    }

    private List<JsonObject> OwnedPods(JsonObject owner)
    {
        var uid = owner.Uid();
        return _store.List(ResourceDescriptor.Pods, owner.Namespace())
            .Where(p => p["metadata"]?["ownerReferences"] is JsonArray refs && refs.OfType<JsonObject>().Any(r => r.GetString("uid") == uid))
            .Where(p => !p.IsDeleting())
            .ToList();
    }

    public static bool IsReady(JsonObject pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod["status"]?["conditions"] is JsonArray conditions
            && conditions.OfType<JsonObject>().Any(c => c.GetString("type") == "Ready" && c.GetString("status") == "True");
    }

    private static JsonObject OwnerReference(JsonObject owner) => new()
    {
        ["apiVersion"] = owner.GetString("apiVersion"),
        ["kind"] = owner.GetString("kind"),
        ["name"] = owner.Name(),
        ["uid"] = owner.Uid(),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };

    private static int Replicas(JsonObject workload) =>
        (int)(workload["spec"]?["replicas"].AsInt64() ?? 1);

    private static int Ordinal(string stsName, string? podName) =>
        podName is not null && podName.StartsWith(stsName + "-", StringComparison.Ordinal)
        && int.TryParse(podName.AsSpan(stsName.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : -1;

    private string NextIp()
    {
        _podIp++;
        return $"10.244.{(_podIp / 250) % 250}.{(_podIp % 250) + 1}";
    }

    // Races with test writes (conflicts, objects deleted meanwhile) are retried on the next pass.
    private static void Guard(Action action)
    {
        try
        {
            action();
        }
        catch (FakeApiException)
        {
            // Next pass converges.
        }
    }
}
