namespace Tributary.Storage;

/// <summary>What cleaning does with one stored batch.</summary>
internal enum BatchCleaningOutcome
{
    /// <summary>No record survives: the batch is left out of the cleaned segment.</summary>
    Drop,

    /// <summary>The stored bytes are kept unchanged (nothing removed and no horizon to stamp, a control batch, or undecodable).</summary>
    KeepOriginal,

    /// <summary>The batch was rewritten into <see cref="CleanerBuffers.Output"/>.</summary>
    Rewritten,
}
