using Xunit;

namespace Tributary.Operator.Tests.Controllers;

/// <summary>A fact that needs the real kubectl; skipped (with the reason shown) where it is not installed.</summary>
public sealed class KubectlFactAttribute : FactAttribute
{
    public KubectlFactAttribute()
    {
        if (Kubectl.FindExecutable() is null)
        {
            Skip = "kubectl is not installed (looked on PATH and /usr/bin/kubectl)";
        }
    }
}
