using System.Text.Json.Nodes;

namespace Tributary.Operator.Rendering;

/// <summary>
/// Identity of the broker pods. Brokers need nothing from the Kubernetes API today, so the
/// ServiceAccount mounts no token and the Role only allows reading the cluster's own config,
/// by name — the least a future live-reload would need.
/// </summary>
public static class RbacRenderer
{
    public static IReadOnlyList<JsonObject> Render(KafkaClusterRenderInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var name = ObjectNames.ServiceAccount(input.Name);

        var serviceAccount = KubeObject.Create("v1", "ServiceAccount", name, input);
        serviceAccount["automountServiceAccountToken"] = false;

        var role = KubeObject.Create("rbac.authorization.k8s.io/v1", "Role", name, input);
        role["rules"] = new JsonArray(new JsonObject
        {
            ["apiGroups"] = KubeObject.Strings(string.Empty),
            ["resources"] = KubeObject.Strings("configmaps"),
            ["resourceNames"] = KubeObject.Strings(ObjectNames.ConfigMap(input.Name)),
            ["verbs"] = KubeObject.Strings("get", "watch"),
        });

        var binding = KubeObject.Create("rbac.authorization.k8s.io/v1", "RoleBinding", name, input);
        binding["roleRef"] = new JsonObject
        {
            ["apiGroup"] = "rbac.authorization.k8s.io",
            ["kind"] = "Role",
            ["name"] = name,
        };
        binding["subjects"] = new JsonArray(new JsonObject
        {
            ["kind"] = "ServiceAccount",
            ["name"] = name,
            ["namespace"] = input.Namespace,
        });

        return [serviceAccount, role, binding];
    }
}
