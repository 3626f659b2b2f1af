namespace Tributary.Bench;

/// <summary>One benchmark cell: how many records of what size, to how many partitions, with which acks.</summary>
internal sealed record Workload(int Records, int RecordBytes, int Partitions, string Acks)
{
    public string Name => $"{Partitions}p acks={Acks}";
}
