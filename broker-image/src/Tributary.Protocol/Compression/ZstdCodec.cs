using System.Buffers;
using Tributary.Protocol.Records;

namespace Tributary.Protocol.Compression;

/// <summary>
/// Zstandard through libzstd.so.1. Decoding streams (ZSTD_decompressStream), so frames without a
/// content size (written by streaming encoders such as zstd-jni's) work, as do concatenated frames.
/// Encoding uses level 3, Kafka's default.
/// </summary>
public sealed unsafe class ZstdCodec : ICompressionCodec
{
    public const int DefaultLevel = 3;

    private const int OutputChunk = 64 * 1024;

    public CompressionType Type => CompressionType.Zstd;

    public void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        var api = ZstdNative.Api;
        var bound = api.CompressBound((nuint)source.Length);
        var output = destination.GetSpan(checked((int)bound));
        nuint written;
        fixed (byte* src = source)
        fixed (byte* dst = output)
        {
            written = api.Compress(dst, (nuint)output.Length, src, (nuint)source.Length, DefaultLevel);
        }

        if (api.IsError(written) != 0)
        {
            throw new InvalidOperationException($"ZSTD_compress failed: {api.ErrorName(written)}");
        }

        destination.Advance((int)written);
    }

    public int Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxOutputBytes)
    {
        var api = ZstdNative.Api;
        var context = api.CreateDecompressionContext();
        if (context == 0)
        {
            throw new OutOfMemoryException("ZSTD_createDCtx failed");
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

    private int Decode(ZstdNative api, nint context, ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxOutputBytes)
    {
        if (source.IsEmpty)
        {
            throw CompressionCodecs.Corrupt(Type, "empty input");
        }

        var total = 0;
        Span<byte> probe = stackalloc byte[1];
        while (true)
        {
            var room = maxOutputBytes - total;
            var output = room > 0 ? destination.GetSpan(Math.Min(OutputChunk, room)) : probe;
            if (room > 0 && output.Length > room)
            {
                output = output[..room];
            }

            nuint result;
            ZstdBuffer input, outBuffer;
            fixed (byte* src = source)
            fixed (byte* dst = output)
            {
                input = new ZstdBuffer { Pointer = src, Size = (nuint)source.Length };
                outBuffer = new ZstdBuffer { Pointer = dst, Size = (nuint)output.Length };
                result = api.DecompressStream(context, &outBuffer, &input);
            }

            if (api.IsError(result) != 0)
            {
                throw CompressionCodecs.Corrupt(Type, api.ErrorName(result));
            }

            var produced = (int)outBuffer.Position;
            if (produced > 0)
            {
                if (room <= 0)
                {
                    throw CompressionCodecs.TooLarge(maxOutputBytes);
                }

                destination.Advance(produced);
                total += produced;
            }

            source = source[(int)input.Position..];
            if (result == 0 && source.IsEmpty)
            {
                return total; // the last frame is decoded and flushed
            }

            // The output was not filled, so the decoder wants input that is not there.
            if (source.IsEmpty && produced < output.Length)
            {
                throw CompressionCodecs.Corrupt(Type, "truncated frame");
            }
        }
    }
}
