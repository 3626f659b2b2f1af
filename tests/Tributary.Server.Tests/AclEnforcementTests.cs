using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Server.Tests.Support;
using Tributary.TestSupport;

namespace Tributary.Server.Tests;

/// <summary>Real clients meet ACL enforcement: denied writes, denied reads, and topics hidden from metadata.</summary>
public sealed class AclEnforcementTests : IClassFixture<AclBrokerFixture>
{
    private readonly AclBrokerFixture _fixture;

    public AclEnforcementTests(AclBrokerFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task A_producer_denied_write_gets_topic_authorization_failed_while_another_topic_works()
    {
        var bootstrap = _fixture.Broker.BootstrapServers;
        var denied = Topics.UniqueName("acl-nowrite");
        var allowed = Topics.UniqueName("acl-write");
        await Topics.CreateAsync(bootstrap, denied, 1);
        await Topics.CreateAsync(bootstrap, allowed, 1);
        // Describe allowed (metadata works), so the refusal comes from the Produce request itself.
        await Acls.CreateAsync(bootstrap,
            Acls.Topic(denied, AclOperation.Describe, AclPermissionType.Allow),
            Acls.Topic(denied, AclOperation.Write, AclPermissionType.Deny));

        var config = RealClients.ProducerConfig(bootstrap);
        config.MessageTimeoutMs = 10000;
        using var producer = new ProducerBuilder<string, string>(config).Build();
        var ok = await producer.ProduceAsync(allowed, new Message<string, string> { Key = "k", Value = "v" });
        Assert.Equal(PersistenceStatus.Persisted, ok.Status);

        var e = await Assert.ThrowsAsync<ProduceException<string, string>>(() => producer.ProduceAsync(denied, new Message<string, string> { Key = "k", Value = "v" }));
        Assert.Equal(ErrorCode.TopicAuthorizationFailed, e.Error.Code);
    }

    [Fact]
    public async Task A_consumer_allowed_describe_but_denied_read_gets_topic_authorization_failed()
    {
        var bootstrap = _fixture.Broker.BootstrapServers;
        var topic = Topics.UniqueName("acl-noread");
        await Topics.CreateAsync(bootstrap, topic, 2);
        using (var producer = new ProducerBuilder<string, string>(RealClients.ProducerConfig(bootstrap)).Build())
        {
            await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "v" });
        }

        await Acls.CreateAsync(bootstrap,
            Acls.Topic(topic, AclOperation.Describe, AclPermissionType.Allow),
            Acls.Topic(topic, AclOperation.Read, AclPermissionType.Deny));

        var config = RealClients.ConsumerConfig(bootstrap, "acl-reader-" + Guid.NewGuid().ToString("N"));
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Subscribe(topic);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        ConsumeException? failure = null;
        while (failure is null && DateTime.UtcNow < deadline)
        {
            try
            {
                var record = consumer.Consume(TimeSpan.FromMilliseconds(500));
                Assert.Null(record?.Message);
            }
            catch (ConsumeException e)
            {
                failure = e;
            }
        }

        Assert.NotNull(failure);
        Assert.Equal(ErrorCode.TopicAuthorizationFailed, failure.Error.Code);
        consumer.Close();
    }

    [Fact]
    public async Task Metadata_hides_a_topic_denied_to_everyone_from_the_list_and_refuses_it_by_name()
    {
        var bootstrap = _fixture.Broker.BootstrapServers;
        var secret = Topics.UniqueName("acl-secret");
        var visible = Topics.UniqueName("acl-visible");
        await Topics.CreateAsync(bootstrap, secret, 1);
        await Topics.CreateAsync(bootstrap, visible, 1);
        await Acls.CreateAsync(bootstrap, Acls.Topic(secret, AclOperation.All, AclPermissionType.Deny));

        using var admin = new AdminClientBuilder(RealClients.AdminConfig(bootstrap)).Build();
        var all = admin.GetMetadata(TimeSpan.FromSeconds(10));
        Assert.Contains(all.Topics, t => t.Topic == visible);
        Assert.DoesNotContain(all.Topics, t => t.Topic == secret);

        var named = admin.GetMetadata(secret, TimeSpan.FromSeconds(10));
        Assert.Equal(ErrorCode.TopicAuthorizationFailed, Assert.Single(named.Topics).Error.Code);
    }
}
