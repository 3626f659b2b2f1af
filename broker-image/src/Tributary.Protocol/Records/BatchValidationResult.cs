namespace Tributary.Protocol.Records;

/// <summary>A validation outcome: a Kafka error code and, when it failed, a fixed message for the response.</summary>
public readonly record struct BatchValidationResult(RecordBatchError Error, string? Message)
{
    public static BatchValidationResult Ok => default;

    public bool IsValid => Error == RecordBatchError.None;

    internal static BatchValidationResult Fail(RecordBatchError error, string message) => new(error, message);
}
