using System.Runtime.InteropServices;

namespace Tributary.Protocol.Compression;

/// <summary>
/// Loads a codec's shared library and its exports on first use, turning a missing library into
/// a <see cref="CompressionUnavailableException"/> that names the library and the Debian package.
/// </summary>
internal sealed class NativeCodecLibrary
{
    private readonly nint _handle;
    private readonly string _name;

    private NativeCodecLibrary(nint handle, string name)
    {
        _handle = handle;
        _name = name;
    }

    public static NativeCodecLibrary Load(string codec, string debianPackage, params string[] names)
    {
        foreach (var name in names)
        {
            if (NativeLibrary.TryLoad(name, typeof(NativeCodecLibrary).Assembly, null, out var handle))
            {
                return new NativeCodecLibrary(handle, name);
            }
        }

        throw new CompressionUnavailableException(
            $"{codec} compression needs the native library {names[0]}, which could not be loaded; install the Debian package {debianPackage}");
    }

    public nint Export(string symbol) =>
        NativeLibrary.TryGetExport(_handle, symbol, out var address)
            ? address
            : throw new CompressionUnavailableException($"{_name} has no export {symbol}; the library is too old");
}
