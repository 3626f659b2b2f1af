using Tributary.Protocol;

namespace Tributary.Client;

/// <summary>
/// A Kafka error: a broker's error code, or one the client assigns itself (a dropped connection is
/// <see cref="ErrorCode.NetworkException"/>, a request past its deadline <see cref="ErrorCode.RequestTimedOut"/>,
/// an API the broker lacks <see cref="ErrorCode.UnsupportedVersion"/>).
/// </summary>
public class KafkaException : Exception
{
    public KafkaException()
        : this(ErrorCode.UnknownServerError, "unknown Kafka error")
    {
    }

    public KafkaException(string message)
        : this(ErrorCode.UnknownServerError, message)
    {
    }

    public KafkaException(string message, Exception innerException)
        : this(ErrorCode.UnknownServerError, message, innerException)
    {
    }

    public KafkaException(ErrorCode errorCode, string message, Exception? innerException = null)
        : base(message, innerException) => ErrorCode = errorCode;

    public ErrorCode ErrorCode { get; }

    /// <summary>True when the same request may succeed if tried again (after a metadata refresh).</summary>
    public bool IsRetriable => KafkaErrors.IsRetriable(ErrorCode);

    /// <summary>Builds the exception for a response's error code, or returns null for <see cref="ErrorCode.None"/>.</summary>
    public static KafkaException? FromCode(short code, string? message, string context)
    {
        if (code == 0)
        {
            return null;
        }

        var error = (ErrorCode)code;
        var text = string.IsNullOrEmpty(message) ? $"{context}: {error}" : $"{context}: {error}: {message}";
        return new KafkaException(error, text);
    }

    /// <summary>Throws for a non-zero error code.</summary>
    public static void ThrowIfError(short code, string? message, string context)
    {
        var exception = FromCode(code, message, context);
        if (exception is not null)
        {
            throw exception;
        }
    }
}
