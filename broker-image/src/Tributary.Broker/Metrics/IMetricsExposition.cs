namespace Tributary.Broker.Metrics;

/// <summary>Something that can render all its metrics for a scrape (what <see cref="MetricsHttpServer"/> serves).</summary>
public interface IMetricsExposition
{
    /// <summary>The HTTP Content-Type of the rendered text.</summary>
    string ContentType { get; }

    void WriteTo(TextWriter writer);
}
