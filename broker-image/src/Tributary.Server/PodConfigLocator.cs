using System.Globalization;

namespace Tributary.Server;

/// <summary>
/// Where a broker pod finds its configuration when started as plain <c>tributary broker</c>
/// (the operator's pod contract, operator/src/Tributary.Operator/Rendering/README.md): the
/// operator mounts one ConfigMap with a <c>&lt;role&gt;-&lt;id&gt;.properties</c> entry per node and
/// sets <c>TRIBUTARY_CONFIG_DIR</c>, <c>TRIBUTARY_NODE_ROLE</c> and <c>TRIBUTARY_NODE_ID_BASE</c>;
/// the node id is the base plus the StatefulSet ordinal at the end of <c>POD_NAME</c>.
/// </summary>
public static class PodConfigLocator
{
    /// <summary>The config path for this pod, or null when the environment is not a Tributary pod's.</summary>
    public static string? Resolve(IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!environment.TryGetValue("TRIBUTARY_CONFIG_DIR", out var dir) || dir.Length == 0)
        {
            return null;
        }

        var role = environment.GetValueOrDefault("TRIBUTARY_NODE_ROLE", "broker");
        if (role is not ("broker" or "controller"))
        {
            throw new UsageException($"TRIBUTARY_NODE_ROLE must be broker or controller, not '{role}'");
        }

        var podName = environment.GetValueOrDefault("POD_NAME", "");
        var dash = podName.LastIndexOf('-');
        if (dash < 0 || !int.TryParse(podName.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal))
        {
            throw new UsageException($"POD_NAME '{podName}' does not end in a StatefulSet ordinal (name-N)");
        }

        var baseText = environment.GetValueOrDefault("TRIBUTARY_NODE_ID_BASE", "0");
        if (!int.TryParse(baseText, NumberStyles.None, CultureInfo.InvariantCulture, out var idBase))
        {
            throw new UsageException($"TRIBUTARY_NODE_ID_BASE must be a non-negative integer, not '{baseText}'");
        }

        return Path.Combine(dir, string.Create(CultureInfo.InvariantCulture, $"{role}-{idBase + ordinal}.properties"));
    }
}
