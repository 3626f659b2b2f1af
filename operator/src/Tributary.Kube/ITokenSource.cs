namespace Tributary.Kube;

/// <summary>Supplies the bearer token for each request; Invalidate is called after a 401 so rotated tokens are reread.</summary>
public interface ITokenSource
{
    string? GetToken();

    void Invalidate();
}
