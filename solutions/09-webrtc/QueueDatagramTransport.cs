using System.Collections.Concurrent;
using Org.BouncyCastle.Tls;

namespace Lab09.WebRtc;

/// <summary>
/// BouncyCastle's <see cref="DatagramTransport"/> fed from outside: the socket loop hands it the datagrams the
/// demultiplexer sorted as DTLS (<see cref="Deliver"/>), and it sends through a callback. So DTLS shares the one UDP
/// port with STUN and SRTP. Given code.
/// </summary>
public sealed class QueueDatagramTransport : DatagramTransport
{
    /// <summary>The largest DTLS record to send: below a 1280-byte IPv6 path MTU with room for IP and UDP headers.</summary>
    public const int Mtu = 1200;

    private readonly BlockingCollection<byte[]> _incoming = new(boundedCapacity: 256);
    private readonly Action<byte[]> _send;

    /// <summary>Creates the transport; <paramref name="send"/> puts one datagram on the wire to the peer.</summary>
    public QueueDatagramTransport(Action<byte[]> send)
    {
        _send = send;
    }

    /// <summary>Hands the transport one datagram from the peer (dropped when 256 are already waiting).</summary>
    public void Deliver(byte[] datagram)
    {
        if (!_incoming.IsAddingCompleted)
        {
            _incoming.TryAdd(datagram);
        }
    }

    /// <inheritdoc/>
    public int GetReceiveLimit() => 1500;

    /// <inheritdoc/>
    public int GetSendLimit() => Mtu;

    /// <inheritdoc/>
    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    /// <inheritdoc/>
    public int Receive(Span<byte> buffer, int waitMillis)
    {
        byte[]? datagram;
        try
        {
            if (!_incoming.TryTake(out datagram, waitMillis == 0 ? Timeout.Infinite : waitMillis))
            {
                if (_incoming.IsCompleted)
                {
                    throw new IOException("the transport is closed");
                }

                return -1; // a timeout: BouncyCastle retransmits its last flight
            }
        }
        catch (ObjectDisposedException)
        {
            throw new IOException("the transport is closed");
        }

        int length = Math.Min(datagram.Length, buffer.Length);
        datagram.AsSpan(0, length).CopyTo(buffer);
        return length;
    }

    /// <inheritdoc/>
    public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

    /// <inheritdoc/>
    public void Send(ReadOnlySpan<byte> buffer) => _send(buffer.ToArray());

    /// <inheritdoc/>
    public void Close() => _incoming.CompleteAdding();
}
