using Tributary.Broker.Cluster;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Xunit;

namespace Tributary.Broker.Tests.Cluster;

public sealed class ControllerResponsesTests
{
    private const short NotController = (short)ErrorCode.NotController;

    public static TheoryData<IApiResponse, bool> Responses() => new()
    {
        { new BrokerRegistrationResponse { ErrorCode = NotController }, true },
        { new BrokerRegistrationResponse { ErrorCode = (short)ErrorCode.DuplicateBrokerRegistration }, false },
        { new BrokerHeartbeatResponse { ErrorCode = NotController }, true },
        { new AllocateProducerIdsResponse { ErrorCode = NotController }, true },
        { new AlterPartitionResponse { ErrorCode = NotController }, true },
        { new AlterPartitionResponse(), false },
        { new CreateTopicsResponse { Topics = [new() { ErrorCode = 0 }, new() { ErrorCode = NotController }] }, true },
        { new CreateTopicsResponse { Topics = [new() { ErrorCode = (short)ErrorCode.TopicAlreadyExists }] }, false },
        { new DeleteTopicsResponse { Responses = [new() { ErrorCode = NotController }] }, true },
        { new CreatePartitionsResponse { Results = [new() { ErrorCode = NotController }] }, true },
        { new AlterConfigsResponse { Responses = [new() { ErrorCode = NotController }] }, true },
        { new IncrementalAlterConfigsResponse { Responses = [new() { ErrorCode = NotController }] }, true },
        { new IncrementalAlterConfigsResponse { Responses = [new() { ErrorCode = (short)ErrorCode.InvalidConfig }] }, false },
        { new ElectLeadersResponse { ReplicaElectionResults = [new() { PartitionResult = [new() { ErrorCode = NotController }] }] }, true },
        { new AlterPartitionReassignmentsResponse { ErrorCode = NotController }, true },
        { new ListPartitionReassignmentsResponse { ErrorCode = NotController }, true },
        { new UpdateFeaturesResponse { Results = [new() { ErrorCode = NotController }] }, true },
        { new MetadataResponse(), false },
    };

    [Theory]
    [MemberData(nameof(Responses))]
    public void FindsNotControllerAtTheTopLevelOrPerItem(IApiResponse response, bool expected) =>
        Assert.Equal(expected, ControllerResponses.IsNotController(response));
}
