namespace Tributary.Broker.Metadata.Controller;

/// <summary>
/// The running counts behind <see cref="ReplicaPlacer"/>: leaders and replicas per broker (by
/// <see cref="RackLayout"/> position) and leaders per rack, updated as each partition is placed.
/// </summary>
internal sealed class PlacementState
{
    private readonly RackLayout _layout;
    private readonly int[] _leaders;
    private readonly int[] _replicas;
    private readonly int[] _rackLeaders;

    // Scratch for one partition, reused to avoid allocating per partition.
    private readonly bool[] _used;
    private readonly int[] _inRack;
    private readonly int[] _freeInRack;

    public PlacementState(RackLayout layout)
    {
        _layout = layout;
        _leaders = new int[layout.Count];
        _replicas = new int[layout.Count];
        _rackLeaders = new int[layout.RackCount];
        _used = new bool[layout.Count];
        _inRack = new int[layout.RackCount];
        _freeInRack = new int[layout.RackCount];
    }

    /// <summary>Adds an existing partition's replicas (first = preferred leader); unknown brokers are skipped.</summary>
    public void Count(IReadOnlyList<int> replicas)
    {
        ArgumentNullException.ThrowIfNull(replicas);
        for (var i = 0; i < replicas.Count; i++)
        {
            var position = _layout.PositionOf(replicas[i]);
            if (position < 0)
            {
                continue;
            }

            _replicas[position]++;
            if (i == 0)
            {
                _leaders[position]++;
                _rackLeaders[_layout.RackOf[position]]++;
            }
        }
    }

    /// <summary>
    /// Picks the next partition's leader, starting the tie-break rotation at <paramref name="origin"/>,
    /// and counts it. Returns its layout position.
    /// </summary>
    public int PlaceLeader(int origin)
    {
        var leader = ChooseLeader(origin);
        _leaders[leader]++;
        _replicas[leader]++;
        _rackLeaders[_layout.RackOf[leader]]++;
        return leader;
    }

    /// <summary>
    /// The replicas of a partition whose leader (a layout position from <see cref="PlaceLeader"/>) is
    /// already counted; the followers' rotation begins <paramref name="shift"/>+1 places after it.
    /// </summary>
    public int[] PlaceFollowers(int leader, int replicationFactor, int shift)
    {
        var n = _layout.Count;
        Array.Clear(_used);
        Array.Clear(_inRack);
        Array.Clear(_freeInRack);
        foreach (var rack in _layout.RackOf)
        {
            _freeInRack[rack]++;
        }

        Use(leader);
        var replicas = new int[replicationFactor];
        replicas[0] = _layout.Ids[leader];
        for (var j = 1; j < replicationFactor; j++)
        {
            var follower = ChooseFollower((leader + 1 + shift) % n);
            Use(follower);
            _replicas[follower]++;
            replicas[j] = _layout.Ids[follower];
        }

        return replicas;
    }

    private int ChooseLeader(int origin)
    {
        var n = _layout.Count;
        var best = -1;
        for (var k = 0; k < n; k++)
        {
            var p = (origin + k) % n; // rotation order: earlier k wins ties, so only strictly better replaces
            if (best < 0
                || Compare(_leaders[p], _leaders[best], _rackLeaders[_layout.RackOf[p]], _rackLeaders[_layout.RackOf[best]], _replicas[p], _replicas[best]) < 0)
            {
                best = p;
            }
        }

        return best;
    }

    private int ChooseFollower(int origin)
    {
        // Water-filling across racks: only racks holding the fewest replicas of this partition
        // (among racks that still have an unused broker) may take the next one.
        var minInRack = int.MaxValue;
        for (var rack = 0; rack < _inRack.Length; rack++)
        {
            if (_freeInRack[rack] > 0)
            {
                minInRack = Math.Min(minInRack, _inRack[rack]);
            }
        }

        var n = _layout.Count;
        var best = -1;
        for (var k = 0; k < n; k++)
        {
            var p = (origin + k) % n;
            if (_used[p] || _inRack[_layout.RackOf[p]] != minInRack)
            {
                continue;
            }

            if (best < 0 || _replicas[p] < _replicas[best])
            {
                best = p;
            }
        }

        return best;
    }

    private void Use(int position)
    {
        _used[position] = true;
        var rack = _layout.RackOf[position];
        _inRack[rack]++;
        _freeInRack[rack]--;
    }

    private static int Compare(int leadersA, int leadersB, int rackLeadersA, int rackLeadersB, int replicasA, int replicasB)
    {
        var c = leadersA.CompareTo(leadersB);
        if (c == 0)
        {
            c = rackLeadersA.CompareTo(rackLeadersB);
        }

        return c != 0 ? c : replicasA.CompareTo(replicasB);
    }
}
