using Tributary.Broker.Metrics;
using Xunit;

namespace Tributary.Broker.Tests.Metrics;

public sealed class MetricsRegistryTests
{
    [Fact]
    public void CountersAndGaugesRenderWithHelpTypeAndLabels()
    {
        var registry = new MetricsRegistry();
        var requests = registry.CreateCounter("requests_total", "Requests.", "api");
        requests.WithLabels("Produce").Inc();
        requests.WithLabels("Produce").Inc(2);
        requests.WithLabels("Fetch").Inc();
        var gauge = registry.CreateGauge("connections", "Open connections.").WithLabels();
        gauge.Set(5);
        gauge.Dec();
        gauge.Inc(0.5);

        Assert.Equal(
            "# HELP requests_total Requests.\n# TYPE requests_total counter\n"
            + "requests_total{api=\"Fetch\"} 1\nrequests_total{api=\"Produce\"} 3\n"
            + "# HELP connections Open connections.\n# TYPE connections gauge\nconnections 4.5\n",
            registry.Render());
    }

    [Fact]
    public void EscapesHelpAndLabelValues()
    {
        var registry = new MetricsRegistry();
        registry.CreateCounter("c_total", "line1\nback\\slash \"quotes\" stay", "topic").WithLabels("a\"b\\c\nd").Inc();
        Assert.Equal(
            "# HELP c_total line1\\nback\\\\slash \"quotes\" stay\n# TYPE c_total counter\nc_total{topic=\"a\\\"b\\\\c\\nd\"} 1\n",
            registry.Render());
    }

    [Fact]
    public void HistogramBucketsAreCumulativeWithInfSumAndCount()
    {
        var registry = new MetricsRegistry();
        var h = registry.CreateHistogram("latency_seconds", "Latency.", [0.1, 1, 2.5], "api").WithLabels("Fetch");
        h.Observe(0.05);
        h.Observe(0.1);   // on the bound: counted in le="0.1"
        h.Observe(0.7);
        h.Observe(3);     // above every bound: only +Inf
        h.Observe(double.NaN);

        Assert.Equal(
            "# HELP latency_seconds Latency.\n# TYPE latency_seconds histogram\n"
            + "latency_seconds_bucket{api=\"Fetch\",le=\"0.1\"} 2\n"
            + "latency_seconds_bucket{api=\"Fetch\",le=\"1\"} 3\n"
            + "latency_seconds_bucket{api=\"Fetch\",le=\"2.5\"} 3\n"
            + "latency_seconds_bucket{api=\"Fetch\",le=\"+Inf\"} 4\n"
            + "latency_seconds_sum{api=\"Fetch\"} 3.85\n"
            + "latency_seconds_count{api=\"Fetch\"} 4\n",
            registry.Render());
        Assert.Equal(4, h.Count);
    }

    [Fact]
    public void UnlabelledHistogramHasOnlyLe()
    {
        var registry = new MetricsRegistry();
        registry.CreateHistogram("h", "H.", [1]).WithLabels().Observe(0.5);
        Assert.Contains("h_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 1\nh_sum 0.5\nh_count 1\n", registry.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public void CallbackMetricsAreReadAtScrapeTime()
    {
        var registry = new MetricsRegistry();
        double value = 1;
        registry.CreateCallbackGauge("queue_length", "Queue.", () => value);
        registry.CreateCallbackCounter("cpu_seconds_total", "CPU.", () => 2.5);
        registry.CreateCallbackGauge("log_size", "Size.", ["topic", "partition"],
            () => [new MetricSample(["t", "0"], 100), new MetricSample(["t", "1"], double.PositiveInfinity)]);
        registry.CreateCallbackGauge("broken", "Throws.", () => throw new InvalidOperationException());
        value = 7;

        string text = registry.Render();
        Assert.Contains("# TYPE queue_length gauge\nqueue_length 7\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE cpu_seconds_total counter\ncpu_seconds_total 2.5\n", text, StringComparison.Ordinal);
        Assert.Contains("log_size{topic=\"t\",partition=\"0\"} 100\nlog_size{topic=\"t\",partition=\"1\"} +Inf\n", text, StringComparison.Ordinal);
        Assert.EndsWith("# TYPE broken gauge\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ChildrenAreCachedAndRemovable()
    {
        var registry = new MetricsRegistry();
        var family = registry.CreateGauge("g", "G.", "topic", "partition");
        Assert.Same(family.WithLabels("a", "0"), family.WithLabels("a", "0"));
        family.WithLabels("a", "1").Set(1);
        Assert.True(family.RemoveLabels("a", "0"));
        Assert.False(family.RemoveLabels("a", "0"));
        Assert.DoesNotContain("partition=\"0\"", registry.Render(), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => family.WithLabels("only-one"));
    }

    [Fact]
    public void RejectsInvalidNamesDuplicatesAndBadBuckets()
    {
        var registry = new MetricsRegistry();
        registry.CreateCounter("ok_total", "x");
        Assert.Throws<ArgumentException>(() => registry.CreateCounter("ok_total", "x"));
        Assert.Throws<ArgumentException>(() => registry.CreateCounter("1bad", "x"));
        Assert.Throws<ArgumentException>(() => registry.CreateCounter("bad-name", "x"));
        Assert.Throws<ArgumentException>(() => registry.CreateCounter("c2", "x", "__reserved"));
        Assert.Throws<ArgumentException>(() => registry.CreateCounter("c3", "x", "a", "a"));
        Assert.Throws<ArgumentException>(() => registry.CreateHistogram("h1", "x", [2, 1]));
        Assert.Throws<ArgumentException>(() => registry.CreateHistogram("h2", "x", [1], "le"));
        Assert.Throws<ArgumentOutOfRangeException>(() => registry.CreateCounter("c4", "x").WithLabels().Inc(-1));
    }

    [Fact]
    public void ConcurrentIncrementsAreNotLost()
    {
        var registry = new MetricsRegistry();
        var counter = registry.CreateCounter("n_total", "N.").WithLabels();
        var histogram = registry.CreateHistogram("d", "D.", [1]).WithLabels();
        Parallel.For(0, 20_000, _ =>
        {
            counter.Inc();
            histogram.Observe(0.5);
        });
        Assert.Equal(20_000, counter.Value);
        Assert.Equal(20_000, histogram.Count);
        Assert.Equal(10_000, histogram.Sum);
    }

    [Theory]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(1e21, "1E+21")]
    [InlineData(0.25, "0.25")]
    [InlineData(-3, "-3")]
    public void FormatsNumbersLikePrometheus(double value, string expected) =>
        Assert.Equal(expected, PrometheusText.FormatValue(value));
}
