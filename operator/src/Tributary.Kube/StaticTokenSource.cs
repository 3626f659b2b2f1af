namespace Tributary.Kube;

/// <summary>A fixed bearer token (kubeconfig users[].user.token).</summary>
public sealed class StaticTokenSource(string token) : ITokenSource
{
    public string? GetToken() => token;

    public void Invalidate()
    {
        // A literal token cannot change.
    }
}
