namespace Tributary.Protocol.Records;

/// <summary>Why the records of a batch could not be read.</summary>
public enum RecordReadError
{
    None,
    /// <summary>The data ends inside a record or a record's declared length runs past it.</summary>
    Truncated,
    /// <summary>A varint is over-long or has bits beyond its width.</summary>
    InvalidVarint,
    /// <summary>A negative length other than -1 (null), or a null where Kafka forbids it (header keys).</summary>
    InvalidLength,
    /// <summary>A record's fields do not end exactly where its length says.</summary>
    SizeMismatch,
    /// <summary>The batch holds more or fewer records than its recordCount.</summary>
    CountMismatch,
}
