using System.Text;

namespace Tributary.Broker.Metrics;

/// <summary>A registered family that can render itself in the text format.</summary>
internal interface IMetricWriter
{
    string Name { get; }

    void Write(StringBuilder sb);
}
