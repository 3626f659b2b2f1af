using System.Buffers;
using Tributary.Protocol.Records;

namespace Tributary.Protocol.Compression;

/// <summary>
/// LZ4 frame format (the one Kafka uses for magic 2 batches) through liblz4.so.1's LZ4F API.
/// Frames are written like the Java client writes them: 64 KiB independent blocks, no content
/// size, no checksums beyond the header's. Decoding accepts any valid frame, and several
/// concatenated frames.
/// </summary>
public sealed unsafe class Lz4Codec : ICompressionCodec
{
    private const int OutputChunk = 64 * 1024;

    public CompressionType Type => CompressionType.Lz4;

    public void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        var api = Lz4Native.Api;
        var preferences = new Lz4FramePreferences
        {
            BlockSizeId = Lz4FramePreferences.BlockSize64K,
            BlockMode = Lz4FramePreferences.BlockIndependent,
        };
        var bound = api.CompressFrameBound((nuint)source.Length, &preferences);
        var output = destination.GetSpan(checked((int)bound));
        nuint written;
        fixed (byte* src = source)
        fixed (byte* dst = output)
        {
            written = api.CompressFrame(dst, (nuint)output.Length, src, (nuint)source.Length, &preferences);
        }

        if (api.IsError(written) != 0)
        {
            throw new InvalidOperationException($"LZ4F_compressFrame failed: {api.ErrorName(written)}");
        }

        destination.Advance((int)written);
    }

    public int Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxOutputBytes)
    {
        var api = Lz4Native.Api;
        nint context;
        var created = api.CreateDecompressionContext(&context, Lz4Native.FrameVersion);
        if (api.IsError(created) != 0)
        {
            throw new InvalidOperationException($"LZ4F_createDecompressionContext failed: {api.ErrorName(created)}");
        }

        try
        {
            return Decode(api, context, source, destination, maxOutputBytes);
        }
        finally
        {
            api.FreeDecompressionContext(context);
        }
    }

    private int Decode(Lz4Native api, nint context, ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxOutputBytes)
    {
        var total = 0;
        Span<byte> probe = stackalloc byte[1];
        while (true)
        {
            var room = maxOutputBytes - total;
            // At the limit, decode into a one-byte probe: any output at all means too large.
            var output = room > 0 ? destination.GetSpan(Math.Min(OutputChunk, room)) : probe;
            if (room > 0 && output.Length > room)
            {
                output = output[..room];
            }

            nuint produced = (nuint)output.Length;
            nuint consumed = (nuint)source.Length;
            nuint hint;
            fixed (byte* src = source)
            fixed (byte* dst = output)
            {
                hint = api.Decompress(context, dst, &produced, src, &consumed, null);
            }

            if (api.IsError(hint) != 0)
            {
                throw CompressionCodecs.Corrupt(Type, api.ErrorName(hint));
            }

            if (produced > 0)
            {
                if (room <= 0)
                {
                    throw CompressionCodecs.TooLarge(maxOutputBytes);
                }

                destination.Advance((int)produced);
                total += (int)produced;
            }

            source = source[(int)consumed..];
            if (hint == 0 && source.IsEmpty)
            {
                return total; // the last frame is complete
            }

            if (produced == 0 && consumed == 0)
            {
                throw CompressionCodecs.Corrupt(Type, "truncated frame");
            }
        }
    }
}
