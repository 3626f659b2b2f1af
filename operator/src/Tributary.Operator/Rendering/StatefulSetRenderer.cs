using System.Globalization;
using System.Text.Json.Nodes;
using Tributary.Operator.Api;

namespace Tributary.Operator.Rendering;

/// <summary>
/// One StatefulSet per zone for brokers (pinned to the zone, so a broker's volume and pod always
/// meet again there) and, in Dedicated mode, one for controllers. updateStrategy OnDelete: the
/// operator's roller decides when each pod restarts.
/// </summary>
public static class StatefulSetRenderer
{
    public const string ZoneLabel = "topology.kubernetes.io/zone";
    public const string HostnameLabel = "kubernetes.io/hostname";
    public const string ConfigDir = "/etc/tributary/config";
    public const int UserId = 1000;

    /// <summary>Broker StatefulSet of zone <paramref name="zoneIndex"/>.</summary>
    public static JsonObject RenderBrokers(KafkaClusterRenderInput input, ClusterLayout layout, int zoneIndex, IReadOnlyList<(NodeSlot Node, BrokerConfigModel Config)> plan)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(layout);
        var zone = layout.Zones[zoneIndex];
        var name = ObjectNames.BrokerStatefulSet(input.Name, zone);
        var nodes = plan.Where(p => p.Node.Role == NodeRole.Broker && p.Node.ZoneIndex == zoneIndex).ToList();
        return Render(input, name, NodeRole.Broker, zone, zoneIndex * ClusterLayout.ZoneIdStride, layout.BrokersPerZone[zoneIndex], nodes);
    }

    /// <summary>Dedicated controller StatefulSet, or null in Combined mode.</summary>
    public static JsonObject? RenderControllers(KafkaClusterRenderInput input, ClusterLayout layout, IReadOnlyList<(NodeSlot Node, BrokerConfigModel Config)> plan)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(layout);
        if (layout.Controllers.Count == 0)
        {
            return null;
        }

        var nodes = plan.Where(p => p.Node.Role == NodeRole.Controller).ToList();
        return Render(input, ObjectNames.ControllerStatefulSet(input.Name), NodeRole.Controller, null, ClusterLayout.ControllerIdBase, layout.Controllers.Count, nodes);
    }

    private static JsonObject Render(KafkaClusterRenderInput input, string name, NodeRole role, string? zone, int nodeIdBase, int replicas, IReadOnlyList<(NodeSlot Node, BrokerConfigModel Config)> nodes)
    {
        var spec = input.Cluster.Spec;
        var selector = ClusterLabels.NodeSelector(input.Name, role, zone);
        var podLabels = new JsonObject();
        foreach (var (key, value) in spec.Template?.Pod?.Labels ?? [])
        {
            podLabels[key] = value;
        }

        // Operator labels win over user labels: selectors depend on them.
        foreach (var (key, value) in ClusterLabels.Common(input.Name).Concat(selector).ToList())
        {
            podLabels[key] = value?.DeepClone();
        }

        podLabels[ClusterLabels.Component] = ClusterLabels.RoleValue(role);

        var podAnnotations = new JsonObject();
        foreach (var (key, value) in (spec.Template?.Pod?.Annotations ?? []).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            podAnnotations[key] = value;
        }

        var hash = ConfigHash.Compute(
            nodes.Select(n => (ClusterConfigPlanner.NodeHost(input, n.Node), BrokerConfigRenderer.RenderText(n.Config))), input.Image);
        podAnnotations[ClusterLabels.ConfigHash] = hash;

        var extraLabels = new JsonObject { [ClusterLabels.Component] = ClusterLabels.RoleValue(role) };
        if (zone is not null)
        {
            extraLabels[ClusterLabels.Zone] = zone;
        }

        var statefulSet = KubeObject.Create("apps/v1", "StatefulSet", name, input, extraLabels);
        statefulSet["spec"] = new JsonObject
        {
            ["serviceName"] = ObjectNames.HeadlessService(input.Name),
            ["replicas"] = replicas,
            ["podManagementPolicy"] = "Parallel",
            ["updateStrategy"] = new JsonObject { ["type"] = "OnDelete" },
            ["persistentVolumeClaimRetentionPolicy"] = new JsonObject
            {
                ["whenDeleted"] = spec.Storage.DeleteClaim ? "Delete" : "Retain",
                // Scale-down keeps volumes: scaling back up resumes the same brokers with their data.
                ["whenScaled"] = "Retain",
            },
            ["selector"] = new JsonObject { ["matchLabels"] = selector },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = podLabels, ["annotations"] = podAnnotations },
                ["spec"] = PodSpec(input, role, zone, nodeIdBase),
            },
            ["volumeClaimTemplates"] = new JsonArray(ClaimTemplate(input, role, zone)),
        };
        return statefulSet;
    }

    private static JsonObject PodSpec(KafkaClusterRenderInput input, NodeRole role, string? zone, int nodeIdBase)
    {
        var overrides = input.Cluster.Spec.Template?.Pod;
        var pod = new JsonObject
        {
            ["serviceAccountName"] = ObjectNames.ServiceAccount(input.Name),
            // Brokers do not call the Kubernetes API, so no token is mounted.
            ["automountServiceAccountToken"] = false,
            ["terminationGracePeriodSeconds"] = 120,
            ["securityContext"] = new JsonObject
            {
                ["runAsNonRoot"] = true,
                ["runAsUser"] = UserId,
                ["runAsGroup"] = UserId,
                ["fsGroup"] = UserId,
                ["fsGroupChangePolicy"] = "OnRootMismatch",
                ["seccompProfile"] = new JsonObject { ["type"] = "RuntimeDefault" },
            },
            ["affinity"] = Affinity(input, zone, overrides?.Affinity),
        };

        if (role == NodeRole.Controller)
        {
            // One StatefulSet for all controllers: spread them over zones so a zone loss keeps a majority.
            pod["topologySpreadConstraints"] = new JsonArray(new JsonObject
            {
                ["maxSkew"] = 1,
                ["topologyKey"] = ZoneLabel,
                ["whenUnsatisfiable"] = "ScheduleAnyway",
                ["labelSelector"] = new JsonObject { ["matchLabels"] = ClusterLabels.NodeSelector(input.Name, role, null) },
            });
        }

        if (overrides?.Tolerations is { Count: > 0 } tolerations)
        {
            pod["tolerations"] = System.Text.Json.JsonSerializer.SerializeToNode(tolerations, ApiJson.Options);
        }

        if (overrides?.PriorityClassName is { } priorityClass)
        {
            pod["priorityClassName"] = priorityClass;
        }

        pod["containers"] = new JsonArray(Container(input, role, nodeIdBase));
        pod["volumes"] = new JsonArray(
            new JsonObject { ["name"] = "config", ["configMap"] = new JsonObject { ["name"] = ObjectNames.ConfigMap(input.Name) } },
            new JsonObject { ["name"] = "tmp", ["emptyDir"] = new JsonObject() });
        return pod;
    }

    private static JsonObject Container(KafkaClusterRenderInput input, NodeRole role, int nodeIdBase)
    {
        var spec = input.Cluster.Spec;
        var ports = new JsonArray();
        if (role == NodeRole.Broker)
        {
            foreach (var listener in spec.Listeners)
            {
                ports.Add(Port(listener.Name, listener.Port));
            }

            ports.Add(Port("replication", ClusterPorts.Replication));
        }

        var isVoterCapable = role == NodeRole.Controller || (spec.Controllers?.Mode ?? ControllerMode.Combined) == ControllerMode.Combined;
        if (isVoterCapable)
        {
            ports.Add(Port("controller", ClusterPorts.Controller));
        }

        ports.Add(Port("metrics", ClusterPorts.Metrics));

        // Brokers are ready once they accept replication traffic; controllers once the quorum port is open.
        var probePort = role == NodeRole.Broker ? "replication" : "controller";
        var container = new JsonObject
        {
            ["name"] = "kafka",
            ["image"] = input.Image,
            ["imagePullPolicy"] = "IfNotPresent",
            ["args"] = KubeObject.Strings("broker"),
            ["env"] = new JsonArray(
                Env("TRIBUTARY_NODE_ROLE", ClusterLabels.RoleValue(role)),
                Env("TRIBUTARY_NODE_ID_BASE", nodeIdBase.ToString(CultureInfo.InvariantCulture)),
                Env("TRIBUTARY_CONFIG_DIR", ConfigDir),
                FieldEnv("POD_NAME", "metadata.name"),
                FieldEnv("POD_NAMESPACE", "metadata.namespace")),
            ["ports"] = ports,
        };

        if (spec.Resources is { } resources)
        {
            container["resources"] = System.Text.Json.JsonSerializer.SerializeToNode(resources, ApiJson.Options);
        }

        container["readinessProbe"] = new JsonObject
        {
            ["tcpSocket"] = new JsonObject { ["port"] = probePort },
            ["initialDelaySeconds"] = 10,
            ["periodSeconds"] = 10,
            ["failureThreshold"] = 3,
        };
        container["livenessProbe"] = new JsonObject
        {
            ["tcpSocket"] = new JsonObject { ["port"] = probePort },
            ["initialDelaySeconds"] = 60,
            ["periodSeconds"] = 20,
            ["failureThreshold"] = 6,
        };
        container["lifecycle"] = new JsonObject
        {
            // Controlled shutdown: the node hands over leadership before SIGTERM arrives.
            ["preStop"] = new JsonObject { ["exec"] = new JsonObject { ["command"] = KubeObject.Strings("tributary", "shutdown", "--wait") } },
        };
        container["securityContext"] = new JsonObject
        {
            ["allowPrivilegeEscalation"] = false,
            ["readOnlyRootFilesystem"] = true,
            ["runAsNonRoot"] = true,
            ["capabilities"] = new JsonObject { ["drop"] = KubeObject.Strings("ALL") },
        };
        container["volumeMounts"] = new JsonArray(
            new JsonObject { ["name"] = "data", ["mountPath"] = "/var/lib/tributary" },
            new JsonObject { ["name"] = "config", ["mountPath"] = ConfigDir, ["readOnly"] = true },
            new JsonObject { ["name"] = "tmp", ["mountPath"] = "/tmp" });
        return container;
    }

    private static JsonObject ClaimTemplate(KafkaClusterRenderInput input, NodeRole role, string? zone)
    {
        var storage = input.Cluster.Spec.Storage;
        var labels = ClusterLabels.NodeSelector(input.Name, role, zone);
        var spec = new JsonObject { ["accessModes"] = KubeObject.Strings("ReadWriteOnce") };
        if (storage.StorageClassName is not null)
        {
            spec["storageClassName"] = storage.StorageClassName;
        }

        spec["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = storage.Size.Value } };
        return new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = "data",
                ["labels"] = labels,
                // Retained PVCs carry our instance label but no owner; these keep Argo CD from
                // listing them as extraneous or pruning a broker's data.
                ["annotations"] = new JsonObject
                {
                    ["argocd.argoproj.io/compare-options"] = "IgnoreExtraneous",
                    ["argocd.argoproj.io/sync-options"] = "Prune=false",
                },
            },
            ["spec"] = spec,
        };
    }

    private static JsonObject Affinity(KafkaClusterRenderInput input, string? zone, JsonObject? extra)
    {
        var affinity = extra?.DeepClone().AsObject() ?? new JsonObject();
        if (zone is not null && zone != ZonePlanner.UnzonedName)
        {
            var zoneRequirement = new JsonObject
            {
                ["key"] = ZoneLabel,
                ["operator"] = "In",
                ["values"] = KubeObject.Strings(zone),
            };
            var nodeAffinity = affinity["nodeAffinity"] as JsonObject ?? new JsonObject();
            var required = nodeAffinity["requiredDuringSchedulingIgnoredDuringExecution"] as JsonObject ?? new JsonObject();
            var terms = required["nodeSelectorTerms"] as JsonArray ?? [];
            if (terms.Count == 0)
            {
                terms.Add(new JsonObject());
            }

            // Terms are ORed, expressions inside a term ANDed: the zone must hold in every term.
            foreach (var term in terms.OfType<JsonObject>())
            {
                var expressions = term["matchExpressions"] as JsonArray ?? [];
                expressions.Add(zoneRequirement.DeepClone());
                term["matchExpressions"] = expressions;
            }

            required["nodeSelectorTerms"] = terms;
            nodeAffinity["requiredDuringSchedulingIgnoredDuringExecution"] = required;
            affinity["nodeAffinity"] = nodeAffinity;
        }

        var antiAffinity = affinity["podAntiAffinity"] as JsonObject ?? new JsonObject();
        var preferred = antiAffinity["preferredDuringSchedulingIgnoredDuringExecution"] as JsonArray ?? [];
        preferred.Insert(0, new JsonObject
        {
            ["weight"] = 100,
            ["podAffinityTerm"] = new JsonObject
            {
                ["labelSelector"] = new JsonObject { ["matchLabels"] = ClusterLabels.ClusterSelector(input.Name) },
                ["topologyKey"] = HostnameLabel,
            },
        });
        antiAffinity["preferredDuringSchedulingIgnoredDuringExecution"] = preferred;
        affinity["podAntiAffinity"] = antiAffinity;
        return affinity;
    }

    private static JsonObject Port(string name, int port) => new()
    {
        ["name"] = name,
        ["containerPort"] = port,
        ["protocol"] = "TCP",
    };

    private static JsonObject Env(string name, string value) => new() { ["name"] = name, ["value"] = value };

    private static JsonObject FieldEnv(string name, string fieldPath) => new()
    {
        ["name"] = name,
        ["valueFrom"] = new JsonObject { ["fieldRef"] = new JsonObject { ["fieldPath"] = fieldPath } },
    };
}
