using System.Buffers.Binary;

namespace Tributary.Protocol.Tests.Fuzzing;

/// <summary>
/// Deterministic mutations of valid frames: bit flips, truncation, corrupted length fields
/// (int16/int32 and varint shapes), over-long varints, inserted and random bytes.
/// </summary>
internal sealed class FrameMutator
{
    private static readonly int[] Int32Lengths = [-1, -2, int.MinValue, int.MaxValue, 0x7fff, 0x10000, 0];
    private static readonly short[] Int16Lengths = [-1, -2, short.MinValue, short.MaxValue, 0x100];

    private readonly Random _random;

    public FrameMutator(int seed) => _random = new Random(seed);

    public byte[] Mutate(byte[] frame)
    {
        switch (_random.Next(8))
        {
            case 0:
                return FlipBits(frame, 1 + _random.Next(3));
            case 1:
                return frame.AsSpan(0, _random.Next(frame.Length)).ToArray();
            case 2:
                return OverwriteInt32(frame);
            case 3:
                return OverwriteInt16(frame);
            case 4:
                return OverlongVarint(frame);
            case 5:
                return Insert(frame);
            case 6:
                return FlipBits(Randomize(frame), 1);
            default:
                return Replace(frame, 1 + _random.Next(8));
        }
    }

    private byte[] FlipBits(byte[] frame, int count)
    {
        var copy = (byte[])frame.Clone();
        for (var i = 0; i < count && copy.Length > 0; i++)
        {
            copy[_random.Next(copy.Length)] ^= (byte)(1 << _random.Next(8));
        }

        return copy;
    }

    private byte[] OverwriteInt32(byte[] frame)
    {
        var copy = (byte[])frame.Clone();
        if (copy.Length >= 4)
        {
            BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(_random.Next(copy.Length - 3)), Int32Lengths[_random.Next(Int32Lengths.Length)]);
        }

        return copy;
    }

    private byte[] OverwriteInt16(byte[] frame)
    {
        var copy = (byte[])frame.Clone();
        if (copy.Length >= 2)
        {
            BinaryPrimitives.WriteInt16BigEndian(copy.AsSpan(_random.Next(copy.Length - 1)), Int16Lengths[_random.Next(Int16Lengths.Length)]);
        }

        return copy;
    }

    /// <summary>Replaces a byte (often a compact length) with a run of continuation bytes.</summary>
    private byte[] OverlongVarint(byte[] frame)
    {
        var at = _random.Next(frame.Length + 1);
        var run = _random.Next(1, 12);
        var varint = new byte[run];
        for (var i = 0; i < run; i++)
        {
            varint[i] = (byte)(0x80 | _random.Next(128));
        }

        if (_random.Next(2) == 0)
        {
            varint[^1] &= 0x7f;
        }

        var end = Math.Min(frame.Length, at + 1);
        return [.. frame.AsSpan(0, at), .. varint, .. frame.AsSpan(end)];
    }

    private byte[] Insert(byte[] frame)
    {
        var at = _random.Next(frame.Length + 1);
        var extra = new byte[_random.Next(1, 9)];
        _random.NextBytes(extra);
        return [.. frame.AsSpan(0, at), .. extra, .. frame.AsSpan(at)];
    }

    private byte[] Replace(byte[] frame, int count)
    {
        var copy = (byte[])frame.Clone();
        for (var i = 0; i < count && copy.Length > 0; i++)
        {
            copy[_random.Next(copy.Length)] = (byte)_random.Next(256);
        }

        return copy;
    }

    /// <summary>Keeps the api key and version (so the body parser is reached) and randomizes the rest.</summary>
    private byte[] Randomize(byte[] frame)
    {
        var copy = new byte[_random.Next(4, 96)];
        _random.NextBytes(copy);
        frame.AsSpan(0, Math.Min(4, frame.Length)).CopyTo(copy);
        return copy;
    }
}
