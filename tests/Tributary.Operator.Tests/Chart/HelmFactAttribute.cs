using Xunit;

namespace Tributary.Operator.Tests.Chart;

/// <summary>A fact that is skipped, with the reason, when helm cannot be installed (npm unreachable).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class HelmFactAttribute : FactAttribute
{
    public HelmFactAttribute()
    {
        if (HelmTool.UnavailableReason is { } reason)
        {
            Skip = reason;
        }
    }
}
