using System.Buffers.Binary;

namespace Tributary.Storage;

/// <summary>
/// Aborted transactions whose abort marker lies in one segment (Kafka's <c>.txnindex</c>):
/// 34-byte entries of version int16 (0), producerId int64, firstOffset int64, lastOffset int64,
/// lastStableOffset int64, in marker order. Small (one entry per abort), so it is read whole.
/// </summary>
internal sealed class TransactionIndex : IDisposable
{
    public const int EntrySize = 34;

    private readonly IndexFile _file;

    private TransactionIndex(IndexFile file) => _file = file;

    public string Path => _file.Path;

    public int Count => _file.Count;

    public static TransactionIndex Open(string path, bool truncate = false) => new(IndexFile.Open(path, EntrySize, truncate));

    public void Append(AbortedTransaction transaction)
    {
        Span<byte> entry = stackalloc byte[EntrySize];
        BinaryPrimitives.WriteInt16BigEndian(entry, 0);
        BinaryPrimitives.WriteInt64BigEndian(entry[2..], transaction.ProducerId);
        BinaryPrimitives.WriteInt64BigEndian(entry[10..], transaction.FirstOffset);
        BinaryPrimitives.WriteInt64BigEndian(entry[18..], transaction.LastOffset);
        BinaryPrimitives.WriteInt64BigEndian(entry[26..], transaction.LastStableOffset);
        _file.Append(entry);
    }

    public AbortedTransaction Read(int index)
    {
        Span<byte> entry = stackalloc byte[EntrySize];
        _file.ReadEntry(index, entry);
        return new AbortedTransaction(
            BinaryPrimitives.ReadInt64BigEndian(entry[2..]),
            BinaryPrimitives.ReadInt64BigEndian(entry[10..]),
            BinaryPrimitives.ReadInt64BigEndian(entry[18..]),
            BinaryPrimitives.ReadInt64BigEndian(entry[26..]));
    }

    /// <summary>Adds the transactions that overlap [<paramref name="fetchOffset"/>, <paramref name="upperBoundOffset"/>).</summary>
    public void Collect(long fetchOffset, long upperBoundOffset, List<AbortedTransaction> into)
    {
        var count = Count;
        for (var i = 0; i < count; i++)
        {
            var txn = Read(i);
            if (txn.LastOffset >= fetchOffset && txn.FirstOffset < upperBoundOffset)
            {
                into.Add(txn);
            }
        }
    }

    /// <summary>Removes entries whose abort marker is at or after <paramref name="offset"/>.</summary>
    public void TruncateTo(long offset)
    {
        var keep = 0;
        while (keep < Count && Read(keep).LastOffset < offset)
        {
            keep++;
        }

        _file.TruncateTo(keep);
    }

    public void Reset() => _file.TruncateTo(0);

    public void Flush() => _file.Flush();

    public void Rename(string newPath) => _file.Rename(newPath);

    public void DeleteFile() => _file.DeleteFile();

    public void Dispose() => _file.Dispose();
}
