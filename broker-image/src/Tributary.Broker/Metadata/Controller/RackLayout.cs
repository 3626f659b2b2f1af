namespace Tributary.Broker.Metadata.Controller;

/// <summary>
/// The live brokers in the order the <see cref="ReplicaPlacer"/> rotates through: grouped by rack
/// (racks in ordinal name order, the "no rack" group last, brokers by id within a rack) and then
/// interleaved, first broker of every rack, then the second of every rack, and so on. Walking this
/// order visits the racks in turn, so consecutive leaders land on different racks.
/// </summary>
internal sealed class RackLayout
{
    private readonly Dictionary<int, int> _positionById;

    public RackLayout(IReadOnlyList<PlacementBroker> brokers)
    {
        // A broker listed twice keeps its first rack; ids are what must be distinct.
        var distinct = brokers.DistinctBy(b => b.Id).ToArray();
        var racks = distinct
            .GroupBy(b => b.Rack, StringComparer.Ordinal)
            .OrderBy(g => g.Key is null ? 1 : 0)
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Select(b => b.Id).Order().ToArray())
            .ToArray();

        Ids = new int[distinct.Length];
        RackOf = new int[distinct.Length];
        _positionById = new Dictionary<int, int>(distinct.Length);
        var position = 0;
        for (var round = 0; position < distinct.Length; round++)
        {
            for (var rack = 0; rack < racks.Length; rack++)
            {
                if (round < racks[rack].Length)
                {
                    Ids[position] = racks[rack][round];
                    RackOf[position] = rack;
                    _positionById[racks[rack][round]] = position;
                    position++;
                }
            }
        }

        RackCount = racks.Length;
    }

    /// <summary>Broker ids in rotation order.</summary>
    public int[] Ids { get; }

    /// <summary>The rack index (0 .. <see cref="RackCount"/>-1) of the broker at each position.</summary>
    public int[] RackOf { get; }

    public int RackCount { get; }

    public int Count => Ids.Length;

    /// <summary>The rotation position of a broker, or -1 when it is not one of the live brokers.</summary>
    public int PositionOf(int brokerId) => _positionById.TryGetValue(brokerId, out var p) ? p : -1;
}
