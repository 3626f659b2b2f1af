using System.Runtime.InteropServices;

namespace Tributary.Protocol.Compression;

/// <summary>The zstd simple and streaming API of libzstd.so.1, bound on first use.</summary>
internal sealed unsafe class ZstdNative
{
    private static readonly Lazy<ZstdNative> Instance = new(() => new ZstdNative(), LazyThreadSafetyMode.ExecutionAndPublication);

    public readonly delegate* unmanaged<nuint, nuint> CompressBound;
    public readonly delegate* unmanaged<void*, nuint, void*, nuint, int, nuint> Compress;
    public readonly delegate* unmanaged<nuint, uint> IsError;
    public readonly delegate* unmanaged<nuint, byte*> GetErrorName;
    public readonly delegate* unmanaged<nint> CreateDecompressionContext;
    public readonly delegate* unmanaged<nint, nuint> FreeDecompressionContext;
    public readonly delegate* unmanaged<nint, ZstdBuffer*, ZstdBuffer*, nuint> DecompressStream;

    private ZstdNative()
    {
        var library = NativeCodecLibrary.Load("zstd", "libzstd1", "libzstd.so.1", "libzstd", "zstd");
        CompressBound = (delegate* unmanaged<nuint, nuint>)library.Export("ZSTD_compressBound");
        Compress = (delegate* unmanaged<void*, nuint, void*, nuint, int, nuint>)library.Export("ZSTD_compress");
        IsError = (delegate* unmanaged<nuint, uint>)library.Export("ZSTD_isError");
        GetErrorName = (delegate* unmanaged<nuint, byte*>)library.Export("ZSTD_getErrorName");
        CreateDecompressionContext = (delegate* unmanaged<nint>)library.Export("ZSTD_createDCtx");
        FreeDecompressionContext = (delegate* unmanaged<nint, nuint>)library.Export("ZSTD_freeDCtx");
        DecompressStream = (delegate* unmanaged<nint, ZstdBuffer*, ZstdBuffer*, nuint>)library.Export("ZSTD_decompressStream");
    }

    public static ZstdNative Api => Instance.Value;

    public string ErrorName(nuint code) => Marshal.PtrToStringUTF8((nint)GetErrorName(code)) ?? "unknown error";
}
