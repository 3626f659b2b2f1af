using Tributary.TestSupport;

namespace Tributary.Operator.Tests;

/// <summary>Checked-in files (CRDs, golden files, chart, examples) the tests read.</summary>
internal static class RepoPaths
{
    public static string Root => Checkout.Root;

    public static string Combine(params string[] parts) => Checkout.Combine(parts);
}
