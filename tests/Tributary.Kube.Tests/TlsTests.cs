using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;

namespace Tributary.Kube.Tests;

/// <summary>The HTTP client against a real TLS endpoint: custom CA trust, client certificates, insecure mode.</summary>
public sealed class TlsTests : IAsyncLifetime
{
    private X509Certificate2 _ca = null!;
    private X509Certificate2 _serverCert = null!;
    private X509Certificate2 _clientCert = null!;
    private WebApplication _app = null!;
    private Uri _address = null!;

    public async Task InitializeAsync()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=tls-test-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        _ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        _serverCert = Issue("CN=apiserver", serverAuth: true);
        _clientCert = Issue("CN=operator", serverAuth: false);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = _serverCert,
            ClientCertificateMode = ClientCertificateMode.AllowCertificate,
            ClientCertificateValidation = (_, _, _) => true,
        })));
        _app = builder.Build();
        _app.Run(async context =>
        {
            var subject = context.Connection.ClientCertificate?.Subject ?? "anonymous";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($$$"""{"kind":"ConfigMap","metadata":{"name":"tls"},"data":{"user":"{{{subject}}}"}}""");
        });
        await _app.StartAsync();
        var bound = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _address = new Uri(bound);
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _ca.Dispose();
        _serverCert.Dispose();
        _clientCert.Dispose();
    }

    private X509Certificate2 Issue(string subject, bool serverAuth)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        if (serverAuth)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        }
        else
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        }
        using var cert = request.Create(_ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10), RandomNumberGenerator.GetBytes(8));
        using var withKey = cert.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    private async Task<string> UserSeenByServer(KubeConfig config)
    {
        using var client = new KubeHttpClient(config);
        var obj = await client.GetAsync(ResourceDescriptor.ConfigMaps, "default", "tls");
        return obj["data"]!["user"]!.GetValue<string>();
    }

    [Fact]
    public async Task CustomCa_AndClientCertificate()
    {
        using var caOnly = X509CertificateLoader.LoadCertificate(_ca.RawData);
        var user = await UserSeenByServer(new KubeConfig { Server = _address, CaCertificates = [caOnly], ClientCertificate = _clientCert });
        Assert.Equal("CN=operator", user);
    }

    [Fact]
    public async Task UntrustedServer_IsRejected()
    {
        var e = await Assert.ThrowsAsync<KubeApiException>(() => UserSeenByServer(new KubeConfig { Server = _address }));
        Assert.IsType<HttpRequestException>(e.InnerException);

        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var otherCa = new CertificateRequest("CN=other-ca", otherKey, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        await Assert.ThrowsAsync<KubeApiException>(() => UserSeenByServer(new KubeConfig { Server = _address, CaCertificates = [otherCa] }));
    }

    [Fact]
    public async Task InsecureSkipTlsVerify_AcceptsAnyServer()
    {
        Assert.Equal("anonymous", await UserSeenByServer(new KubeConfig { Server = _address, InsecureSkipTlsVerify = true }));
    }
}
