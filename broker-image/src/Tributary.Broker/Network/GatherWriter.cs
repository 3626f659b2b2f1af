using System.Net.Sockets;

namespace Tributary.Broker.Network;

/// <summary>Writes a list of buffers to a socket with as few gather sends (sendmsg) as the kernel allows.</summary>
public static class GatherWriter
{
    /// <summary>
    /// Sends every byte of <paramref name="segments"/>, in order. A send that takes only part
    /// (the socket's buffer filled) is continued from where it stopped; the list is consumed.
    /// </summary>
    public static async ValueTask SendAllAsync(Socket socket, List<ArraySegment<byte>> segments)
    {
        while (segments.Count > 0)
        {
            var sent = await socket.SendAsync(segments, SocketFlags.None).ConfigureAwait(false);
            if (sent <= 0)
            {
                throw new SocketException((int)SocketError.ConnectionReset);
            }

            DropSent(segments, sent);
        }
    }

    /// <summary>Removes the first <paramref name="sent"/> bytes from <paramref name="segments"/>.</summary>
    public static void DropSent(List<ArraySegment<byte>> segments, int sent)
    {
        var whole = 0;
        while (whole < segments.Count && sent >= segments[whole].Count)
        {
            sent -= segments[whole].Count;
            whole++;
        }

        segments.RemoveRange(0, whole);
        if (sent > 0)
        {
            segments[0] = segments[0][sent..];
        }
    }
}
