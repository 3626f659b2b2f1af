using Tributary.Protocol;

namespace Tributary.Client.Admin;

/// <summary>The outcome of an admin operation on one item (topic, partition, group, config resource).</summary>
public sealed record AdminResult(ErrorCode Error, string? ErrorMessage)
{
    public static AdminResult Success { get; } = new(ErrorCode.None, null);

    public bool IsSuccess => Error == ErrorCode.None;

    public static AdminResult From(short code, string? message) => code == 0 ? Success : new AdminResult((ErrorCode)code, message);

    /// <summary>Raises <see cref="KafkaException"/> unless the operation succeeded.</summary>
    public void ThrowIfError(string context) => KafkaException.ThrowIfError((short)Error, ErrorMessage, context);
}
