using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Tributary.Kube.Tests;

public sealed class KubeConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kubeconfig-tests").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void TokenUser_CurrentContextAndNamespace()
    {
        var yaml = """
            apiVersion: v1
            kind: Config
            current-context: dev
            clusters:
            - name: prod-cluster
              cluster: {server: "https://prod.example:6443"}
            - name: dev-cluster
              cluster:
                server: http://127.0.0.1:8080
                insecure-skip-tls-verify: true
            users:
            - name: dev-user
              user: {token: "s3cr3t"}
            contexts:
            - name: prod
              context: {cluster: prod-cluster, user: dev-user}
            - name: dev
              context: {cluster: dev-cluster, user: dev-user, namespace: kafka}
            """;
        var config = KubeConfigLoader.FromKubeconfigYaml(yaml, _dir);
        Assert.Equal(new Uri("http://127.0.0.1:8080"), config.Server);
        Assert.Equal("kafka", config.Namespace);
        Assert.True(config.InsecureSkipTlsVerify);
        Assert.Equal("s3cr3t", config.Token!.GetToken());
        Assert.Null(config.ClientCertificate);

        var prod = KubeConfigLoader.FromKubeconfigYaml(yaml, _dir, "prod");
        Assert.Equal("prod.example", prod.Server.Host);
        Assert.Equal("default", prod.Namespace);
        Assert.False(prod.InsecureSkipTlsVerify);
    }

    [Fact]
    public void ClientCertificateAndCa_FromDataAndFromFiles()
    {
        var (caPem, certPem, keyPem) = CreateChain();
        var yaml = $$"""
            apiVersion: v1
            current-context: c
            clusters:
            - name: k
              cluster: {server: "https://10.0.0.1:6443", certificate-authority-data: "{{B64(caPem)}}"}
            users:
            - name: u
              user: {client-certificate-data: "{{B64(certPem)}}", client-key-data: "{{B64(keyPem)}}"}
            contexts:
            - name: c
              context: {cluster: k, user: u}
            """;
        var config = KubeConfigLoader.FromKubeconfigYaml(yaml, _dir);
        Assert.Single(config.CaCertificates);
        Assert.Equal("CN=test-ca", config.CaCertificates[0].Subject);
        Assert.NotNull(config.ClientCertificate);
        Assert.True(config.ClientCertificate!.HasPrivateKey);
        Assert.Equal("CN=operator", config.ClientCertificate.Subject);
        Assert.Null(config.Token);

        // The same material by (relative) file reference.
        File.WriteAllText(Path.Combine(_dir, "ca.crt"), caPem);
        File.WriteAllText(Path.Combine(_dir, "client.crt"), certPem);
        File.WriteAllText(Path.Combine(_dir, "client.key"), keyPem);
        File.WriteAllText(Path.Combine(_dir, "config"), """
            apiVersion: v1
            current-context: c
            clusters:
            - name: k
              cluster: {server: "https://10.0.0.1:6443", certificate-authority: ca.crt}
            users:
            - name: u
              user: {client-certificate: client.crt, client-key: client.key}
            contexts:
            - name: c
              context: {cluster: k, user: u}
            """);
        var fromFiles = KubeConfigLoader.FromKubeconfigFile(Path.Combine(_dir, "config"));
        Assert.Equal(config.CaCertificates[0].Thumbprint, fromFiles.CaCertificates[0].Thumbprint);
        Assert.Equal(config.ClientCertificate.Thumbprint, fromFiles.ClientCertificate!.Thumbprint);
    }

    [Theory]
    [InlineData("apiVersion: v1\nclusters: []\n", "current-context")]
    [InlineData("current-context: x\ncontexts: []\n", "context named 'x'")]
    [InlineData("current-context: c\ncontexts:\n- name: c\n  context: {cluster: k}\nclusters:\n- name: k\n  cluster: {server: 'ftp://x'}\n", "invalid server")]
    [InlineData("current-context: c\ncontexts:\n- name: c\n  context: {cluster: k}\nclusters:\n- name: k\n  cluster: {server: 'https://x', certificate-authority-data: '%%%'}\n", "base64")]
    [InlineData("current-context: c\ncontexts:\n- name: c\n  context: {cluster: k}\nclusters:\n- name: k\n  cluster: {server: 'https://x', certificate-authority-data: 'aGVsbG8='}\n", "CA")]
    public void InvalidKubeconfigs_GiveTypedErrors(string yaml, string expected)
    {
        var e = Assert.Throws<KubeConfigException>(() => KubeConfigLoader.FromKubeconfigYaml(yaml, _dir));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedYaml_IsFormatException()
    {
        Assert.Throws<FormatException>(() => KubeConfigLoader.FromKubeconfigYaml("a: [unclosed", _dir));
    }

    [Fact]
    public void InCluster_ReadsServiceAccountMount()
    {
        var (caPem, _, _) = CreateChain();
        File.WriteAllText(Path.Combine(_dir, "token"), "token-1\n");
        File.WriteAllText(Path.Combine(_dir, "ca.crt"), caPem);
        File.WriteAllText(Path.Combine(_dir, "namespace"), "tributary-system");
        var env = new Dictionary<string, string> { ["KUBERNETES_SERVICE_HOST"] = "10.96.0.1", ["KUBERNETES_SERVICE_PORT"] = "443" };
        var config = KubeConfigLoader.InCluster(_dir, k => env.GetValueOrDefault(k));
        Assert.Equal(new Uri("https://10.96.0.1:443"), config.Server);
        Assert.Equal("tributary-system", config.Namespace);
        Assert.Single(config.CaCertificates);
        Assert.Equal("token-1", config.Token!.GetToken());

        env["KUBERNETES_SERVICE_HOST"] = "fd00::1";
        Assert.Equal("[fd00::1]", KubeConfigLoader.InCluster(_dir, k => env.GetValueOrDefault(k)).Server.Host);
        Assert.Throws<KubeConfigException>(() => KubeConfigLoader.InCluster(_dir, _ => null));
    }

    [Fact]
    public void FileToken_IsRereadAfterIntervalOrInvalidate()
    {
        var path = Path.Combine(_dir, "token");
        File.WriteAllText(path, "one");
        var time = new ManualTimeProvider();
        var source = new FileTokenSource(path, time) { RefreshInterval = TimeSpan.FromMinutes(1) };
        Assert.Equal("one", source.GetToken());
        File.WriteAllText(path, "two");
        Assert.Equal("one", source.GetToken());
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("two", source.GetToken());
        File.WriteAllText(path, "three");
        source.Invalidate();
        Assert.Equal("three", source.GetToken());
    }

    [Fact]
    public async Task Unauthorized_RereadsRotatedTokenAndRetriesOnce()
    {
        var path = Path.Combine(_dir, "token");
        File.WriteAllText(path, "old");
        var handler = new RecordingHandler(req => req.Headers.Authorization?.Parameter == "new"
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"kind":"ConfigMap","metadata":{"name":"x"}}""") }
            : new HttpResponseMessage(HttpStatusCode.Unauthorized)
            {
                Content = new StringContent("""{"kind":"Status","status":"Failure","reason":"Unauthorized","message":"bad token","code":401}"""),
            });
        var source = new FileTokenSource(path);
        using var client = new KubeHttpClient(new KubeConfig { Server = new Uri("http://127.0.0.1:1/"), Token = source }, handler);
        Assert.Equal("old", source.GetToken());
        File.WriteAllText(path, "new");

        var obj = await client.GetAsync(ResourceDescriptor.ConfigMaps, "default", "x");
        Assert.Equal("x", obj.Name());
        Assert.Equal(["old", "new"], handler.Tokens);

        // A token that stays wrong fails after one retry with the typed 401.
        File.WriteAllText(path, "wrong");
        source.Invalidate();
        var e = await Assert.ThrowsAsync<KubeApiException>(() => client.GetAsync(ResourceDescriptor.ConfigMaps, "default", "x"));
        Assert.Equal(401, e.StatusCode);
        Assert.Equal("Unauthorized", e.Reason);
    }

    [Fact]
    public async Task NonStatusErrorBody_StillGivesTypedError()
    {
        var handler = new RecordingHandler(_ => new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("<html>proxy</html>") });
        using var client = new KubeHttpClient(new KubeConfig { Server = new Uri("http://127.0.0.1:1/") }, handler);
        var e = await Assert.ThrowsAsync<KubeApiException>(() => client.GetAsync(ResourceDescriptor.ConfigMaps, "default", "x"));
        Assert.Equal(502, e.StatusCode);
        Assert.Contains("proxy", e.Message, StringComparison.Ordinal);
    }

    private sealed class RecordingHandler(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
    {
        public List<string?> Tokens { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Tokens.Add(request.Headers.Authorization?.Parameter);
            return Task.FromResult(respond(request));
        }
    }

    /// <summary>A CA and a client certificate it signed, as PEM.</summary>
    internal static (string CaPem, string CertPem, string KeyPem) CreateChain()
    {
        // One clock reading for both: the client's validity must lie inside the CA's, and two
        // readings a second apart made CertificateRequest.Create refuse it (a CI failure).
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=test-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        using var clientKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var clientRequest = new CertificateRequest("CN=operator", clientKey, HashAlgorithmName.SHA256);
        using var client = clientRequest.Create(ca, now.AddDays(-1), now.AddDays(29), [1, 2, 3, 4]);
        return (ca.ExportCertificatePem(), client.ExportCertificatePem(), clientKey.ExportPkcs8PrivateKeyPem());
    }
}
