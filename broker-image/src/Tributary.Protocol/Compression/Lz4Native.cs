using System.Runtime.InteropServices;

namespace Tributary.Protocol.Compression;

/// <summary>The LZ4 frame API (LZ4F_*) of liblz4.so.1, bound on first use.</summary>
internal sealed unsafe class Lz4Native
{
    /// <summary>LZ4F_VERSION, the frame API version the context is created for.</summary>
    public const uint FrameVersion = 100;

    private static readonly Lazy<Lz4Native> Instance = new(() => new Lz4Native(), LazyThreadSafetyMode.ExecutionAndPublication);

    public readonly delegate* unmanaged<nuint, Lz4FramePreferences*, nuint> CompressFrameBound;
    public readonly delegate* unmanaged<void*, nuint, void*, nuint, Lz4FramePreferences*, nuint> CompressFrame;
    public readonly delegate* unmanaged<nuint, uint> IsError;
    public readonly delegate* unmanaged<nuint, byte*> GetErrorName;
    public readonly delegate* unmanaged<nint*, uint, nuint> CreateDecompressionContext;
    public readonly delegate* unmanaged<nint, nuint> FreeDecompressionContext;
    public readonly delegate* unmanaged<nint, void*, nuint*, void*, nuint*, void*, nuint> Decompress;

    private Lz4Native()
    {
        var library = NativeCodecLibrary.Load("lz4", "liblz4-1", "liblz4.so.1", "liblz4", "lz4");
        CompressFrameBound = (delegate* unmanaged<nuint, Lz4FramePreferences*, nuint>)library.Export("LZ4F_compressFrameBound");
        CompressFrame = (delegate* unmanaged<void*, nuint, void*, nuint, Lz4FramePreferences*, nuint>)library.Export("LZ4F_compressFrame");
        IsError = (delegate* unmanaged<nuint, uint>)library.Export("LZ4F_isError");
        GetErrorName = (delegate* unmanaged<nuint, byte*>)library.Export("LZ4F_getErrorName");
        CreateDecompressionContext = (delegate* unmanaged<nint*, uint, nuint>)library.Export("LZ4F_createDecompressionContext");
        FreeDecompressionContext = (delegate* unmanaged<nint, nuint>)library.Export("LZ4F_freeDecompressionContext");
        Decompress = (delegate* unmanaged<nint, void*, nuint*, void*, nuint*, void*, nuint>)library.Export("LZ4F_decompress");
    }

    public static Lz4Native Api => Instance.Value;

    public string ErrorName(nuint code) => Marshal.PtrToStringUTF8((nint)GetErrorName(code)) ?? "unknown error";
}
