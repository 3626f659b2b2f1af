using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace Tributary.Kube;

/// <summary>
/// Builds a <see cref="KubeConfig"/> from a kubeconfig file (KUBECONFIG or ~/.kube/config, current context)
/// or from the in-cluster service account.
/// </summary>
public static class KubeConfigLoader
{
    public const string ServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>In-cluster when KUBERNETES_SERVICE_HOST is set and a token is mounted, otherwise the kubeconfig.</summary>
    public static KubeConfig LoadDefault()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"))
            && File.Exists(Path.Combine(ServiceAccountDirectory, "token")))
        {
            return InCluster();
        }
        return FromKubeconfigFile(DefaultKubeconfigPath());
    }

    /// <summary>The first path of KUBECONFIG, or ~/.kube/config.</summary>
    public static string DefaultKubeconfigPath()
    {
        var env = Environment.GetEnvironmentVariable("KUBECONFIG");
        if (!string.IsNullOrEmpty(env))
        {
            var first = env.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            if (first is not null)
            {
                return first;
            }
        }
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
    }

    public static KubeConfig FromKubeconfigFile(string path, string? context = null)
    {
        var yaml = File.ReadAllText(path);
        return FromKubeconfigYaml(yaml, Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", context);
    }

    /// <summary>Parses kubeconfig text; relative file references resolve against <paramref name="baseDirectory"/>.</summary>
    public static KubeConfig FromKubeconfigYaml(string yaml, string baseDirectory, string? context = null)
    {
        var root = KubeYaml.ParseObject(yaml);
        var contextName = context ?? root.GetString("current-context");
        if (string.IsNullOrEmpty(contextName))
        {
            throw new KubeConfigException("kubeconfig has no current-context.");
        }
        var ctx = FindNamed(root, "contexts", "context", contextName);
        var clusterName = ctx.GetString("cluster") ?? throw new KubeConfigException($"Context {contextName} has no cluster.");
        var cluster = FindNamed(root, "clusters", "cluster", clusterName);
        var userName = ctx.GetString("user");
        var user = string.IsNullOrEmpty(userName) ? new JsonObject() : FindNamed(root, "users", "user", userName);

        var serverText = cluster.GetString("server") ?? throw new KubeConfigException($"Cluster {clusterName} has no server.");
        if (!Uri.TryCreate(serverText, UriKind.Absolute, out var server) || (server.Scheme != "https" && server.Scheme != "http"))
        {
            throw new KubeConfigException($"Cluster {clusterName} has an invalid server URL '{serverText}'.");
        }

        var ca = ReadPem(cluster, "certificate-authority-data", "certificate-authority", baseDirectory);
        var certPem = ReadPem(user, "client-certificate-data", "client-certificate", baseDirectory);
        var keyPem = ReadPem(user, "client-key-data", "client-key", baseDirectory);
        if ((certPem is null) != (keyPem is null))
        {
            throw new KubeConfigException($"User {userName} needs both a client certificate and a client key.");
        }

        ITokenSource? token = null;
        if (user.GetString("token") is { Length: > 0 } literal)
        {
            token = new StaticTokenSource(literal);
        }
        else if (user.GetString("tokenFile") is { Length: > 0 } tokenFile)
        {
            token = new FileTokenSource(Resolve(tokenFile, baseDirectory));
        }

        return new KubeConfig
        {
            Server = server,
            Namespace = ctx.GetString("namespace") is { Length: > 0 } ns ? ns : "default",
            CaCertificates = ca is null ? [] : LoadCertificates(ca),
            ClientCertificate = certPem is null ? null : LoadClientCertificate(certPem, keyPem!),
            Token = token,
            InsecureSkipTlsVerify = cluster["insecure-skip-tls-verify"] is JsonValue v && v.TryGetValue<bool>(out var skip) && skip,
        };
    }

    /// <summary>In-cluster configuration from the service-account mount and KUBERNETES_SERVICE_HOST/PORT.</summary>
    public static KubeConfig InCluster(string serviceAccountDirectory = ServiceAccountDirectory, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var host = environment("KUBERNETES_SERVICE_HOST");
        var port = environment("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            throw new KubeConfigException("Not running in a cluster: KUBERNETES_SERVICE_HOST/PORT are not set.");
        }
        // IPv6 service addresses need brackets in a URL.
        var hostPart = host.Contains(':', StringComparison.Ordinal) ? "[" + host + "]" : host;
        var caPath = Path.Combine(serviceAccountDirectory, "ca.crt");
        var nsPath = Path.Combine(serviceAccountDirectory, "namespace");
        return new KubeConfig
        {
            Server = new Uri($"https://{hostPart}:{port}"),
            Namespace = File.Exists(nsPath) ? File.ReadAllText(nsPath).Trim() : "default",
            CaCertificates = File.Exists(caPath) ? LoadCertificates(File.ReadAllText(caPath)) : [],
            Token = new FileTokenSource(Path.Combine(serviceAccountDirectory, "token")),
        };
    }

    private static JsonObject FindNamed(JsonObject root, string listName, string field, string name)
    {
        if (root[listName] is JsonArray list)
        {
            foreach (var entry in list.OfType<JsonObject>())
            {
                if (entry.GetString("name") == name)
                {
                    return entry[field] as JsonObject ?? new JsonObject();
                }
            }
        }
        throw new KubeConfigException($"kubeconfig has no {field} named '{name}'.");
    }

    private static string? ReadPem(JsonObject section, string dataKey, string fileKey, string baseDirectory)
    {
        if (section.GetString(dataKey) is { Length: > 0 } data)
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(data));
            }
            catch (FormatException e)
            {
                throw new KubeConfigException($"{dataKey} is not valid base64.", e);
            }
        }
        return section.GetString(fileKey) is { Length: > 0 } file ? File.ReadAllText(Resolve(file, baseDirectory)) : null;
    }

    private static string Resolve(string path, string baseDirectory) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(baseDirectory, path));

    private static X509Certificate2[] LoadCertificates(string pem)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPem(pem);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new KubeConfigException("Invalid CA certificate PEM.", e);
        }
        if (collection.Count == 0)
        {
            throw new KubeConfigException("CA PEM holds no certificate.");
        }
        return [.. collection];
    }

    private static X509Certificate2 LoadClientCertificate(string certPem, string keyPem)
    {
        try
        {
            using var ephemeral = X509Certificate2.CreateFromPem(certPem, keyPem);
            // TLS stacks want a persisted key; a PKCS#12 round trip gives one on every platform.
            return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new KubeConfigException("Invalid client certificate or key PEM.", e);
        }
    }
}
