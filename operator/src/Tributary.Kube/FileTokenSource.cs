namespace Tributary.Kube;

/// <summary>
/// A token read from a file (the projected service-account token), reread after <see cref="RefreshInterval"/>
/// or after a 401, because the kubelet rotates it in place.
/// </summary>
public sealed class FileTokenSource : ITokenSource
{
    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private string? _token;
    private DateTimeOffset _readAt;

    public FileTokenSource(string path, TimeProvider? time = null)
    {
        _path = path;
        _time = time ?? TimeProvider.System;
    }

    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromMinutes(1);

    public string? GetToken()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (_token is null || now - _readAt >= RefreshInterval)
            {
                _token = File.ReadAllText(_path).Trim();
                _readAt = now;
            }
            return _token;
        }
    }

    public void Invalidate()
    {
        lock (_lock)
        {
            _token = null;
        }
    }
}
