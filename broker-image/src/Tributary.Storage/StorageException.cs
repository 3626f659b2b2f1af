namespace Tributary.Storage;

/// <summary>A typed failure of a partition log operation (bad input or a closed log, never a bug).</summary>
public sealed class StorageException : Exception
{
    public StorageException(StorageError error, string message) : base(message) => Error = error;

    public StorageError Error { get; }
}
