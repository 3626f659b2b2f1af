using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Tributary.Operator.Rendering;

/// <summary>
/// Names of every object derived from a KafkaCluster. They are pure functions of the cluster name,
/// zone and ids, so they never change across operator versions or reconciles.
/// </summary>
public static class ObjectNames
{
    /// <summary>Longest StatefulSet name: its pods carry controller-revision-hash = name + 11 characters (63 max).</summary>
    public const int MaxStatefulSetName = 52;

    /// <summary>Longest cluster name: with a zone suffix of at most 21 characters the StatefulSet name fits.</summary>
    public const int MaxClusterName = 30;

    public static string BrokerStatefulSet(string cluster, string zone) => cluster + "-" + ZoneSuffix(zone);

    public static string ControllerStatefulSet(string cluster) => cluster + "-controller";

    public static string Pod(string statefulSet, int ordinal) => statefulSet + "-" + ordinal.ToString(CultureInfo.InvariantCulture);

    /// <summary>StatefulSet PVC naming: claim template name, pod name.</summary>
    public static string Pvc(string pod) => "data-" + pod;

    public static string HeadlessService(string cluster) => cluster + "-brokers";

    public static string BootstrapService(string cluster) => cluster + "-bootstrap";

    public static string ConfigMap(string cluster) => cluster + "-config";

    public static string ServiceAccount(string cluster) => cluster + "-kafka";

    public static string PodDisruptionBudget(string cluster) => cluster + "-kafka";

    public static string ListenerBootstrapService(string cluster, string listener) => cluster + "-" + listener + "-bootstrap";

    public static string ListenerBrokerService(string cluster, string listener, int brokerId) =>
        cluster + "-" + listener + "-" + brokerId.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// DNS-label form of a zone. A zone that already is a DNS label is used as is; otherwise it is
    /// sanitised and a hash of the original is appended, so two zones never share a name and adding
    /// a zone never renames another.
    /// </summary>
    public static string ZoneSuffix(string zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (IsDnsLabel(zone) && zone.Length <= 21)
        {
            return zone;
        }

        var sb = new StringBuilder();
        foreach (var c in zone.ToLowerInvariant())
        {
            var ok = char.IsAsciiLetterOrDigit(c);
            if (ok || (sb.Length > 0 && sb[^1] != '-'))
            {
                sb.Append(ok ? c : '-');
            }
        }

        var cleaned = sb.ToString().Trim('-');
        if (cleaned.Length > 13)
        {
            cleaned = cleaned[..13].TrimEnd('-');
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(zone)))[..6];
        return cleaned.Length == 0 ? "z" + hash : cleaned + "-" + hash;
    }

    public static bool IsDnsLabel(string s) =>
        s.Length is > 0 and <= 63 && char.IsAsciiLetterLower(s[0]) | char.IsAsciiDigit(s[0])
        && char.IsAsciiLetterLower(s[^1]) | char.IsAsciiDigit(s[^1])
        && s.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
