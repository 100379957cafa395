using System.Net;
using System.Net.Sockets;

namespace Lab08.Sfu;

/// <summary>
/// The SFU's core, as in mediasoup: a router holds producers (streams coming in) and consumers (one stream going
/// out to one receiver each). It never decodes: it parses RTP headers, rewrites a few fields and forwards.
/// </summary>
/// <remarks>
/// <code>
///  ffmpeg ──RTP/RTCP──▶ Producer (UDP 127.0.0.1:P) ──┬──▶ Consumer A (own socket, own SSRC/seq/ts) ──RTP──▶ receiver A
///                          ▲  PLI (merged, limited)   ├──▶ Consumer B ──RTP──▶ receiver B
///                          │                          └──▶ Consumer C ──RTP──▶ receiver C
///                          └──── keyframe requests ◀──── PLI / NACK (RTCP) from the receivers
/// </code>
/// Every producer and consumer has its own UDP socket and its own receive task; a bad datagram is counted and
/// dropped, never thrown out of a receive loop.
/// </remarks>
public sealed class Router : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Producer> _producers = [];
    private readonly List<Task> _loops = [];
    private readonly Lock _gate = new();

    /// <summary>Creates a router.</summary>
    public Router(RouterOptions? options = null)
    {
        Options = options ?? new RouterOptions();
    }

    /// <summary>The router's settings.</summary>
    public RouterOptions Options { get; }

    /// <summary>The producers, in the order they were created.</summary>
    public IReadOnlyList<Producer> Producers
    {
        get
        {
            lock (_gate)
            {
                return [.. _producers];
            }
        }
    }

    /// <summary>Binds a UDP socket for a new producer and starts receiving on it. RTP and RTCP share the port (RFC 5761).</summary>
    public Producer CreateProducer(ProducerOptions? options = null)
    {
        options ??= new ProducerOptions();
        var socket = Bind(options.Port);
        var producer = new Producer(this, options, socket);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            _producers.Add(producer);
            _loops.Add(producer.RunAsync(_stopping.Token));
        }

        return producer;
    }

    /// <summary>
    /// A new producer without a socket of its own, fed by another transport (README §Transports): that transport hands it
    /// each decrypted RTP or RTCP datagram with <see cref="Producer.Receive"/>, and the producer's RTCP for the sender
    /// (receiver reports, NACK, PLI) goes to <paramref name="sender"/>.
    /// </summary>
    public Producer CreateProducer(IPacketSink sender, ProducerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var producer = new Producer(this, options ?? new ProducerOptions(), sender);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            _producers.Add(producer);
        }

        return producer;
    }

    /// <summary>
    /// A new consumer of <paramref name="producer"/> without a socket of its own (README §Transports): what it sends goes to
    /// <paramref name="receiver"/>, and the transport hands it the receiver's decrypted RTCP with <see cref="Consumer.Receive"/>.
    /// <paramref name="options"/>.Remote names the receiver (for statistics); nothing is sent there.
    /// </summary>
    public Consumer CreateConsumer(Producer producer, IPacketSink receiver, ConsumerOptions options)
    {
        ArgumentNullException.ThrowIfNull(producer);
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(options);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        }

        var consumer = new Consumer(producer, options, receiver);
        producer.Add(consumer);
        return consumer;
    }

    /// <summary>Binds a UDP socket for a new consumer of <paramref name="producer"/> that sends to <paramref name="options"/>.Remote.</summary>
    public Consumer CreateConsumer(Producer producer, ConsumerOptions options)
    {
        ArgumentNullException.ThrowIfNull(producer);
        ArgumentNullException.ThrowIfNull(options);
        var consumer = new Consumer(producer, options, Bind(0));
        producer.Add(consumer);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            _loops.Add(consumer.RunAsync(_stopping.Token));
        }

        return consumer;
    }

    /// <summary>Stops every receive loop and closes every socket.</summary>
    public async ValueTask DisposeAsync()
    {
        Task[] loops;
        Producer[] producers;
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            _stopping.Cancel();
            loops = [.. _loops];
            producers = [.. _producers];
        }

        await Task.WhenAll(loops).ConfigureAwait(false);
        foreach (var producer in producers)
        {
            producer.Close();
        }

        _stopping.Dispose();
    }

    private Socket Bind(int port)
    {
        var socket = new Socket(Options.ListenAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.ReceiveBufferSize = 1 << 20; // a keyframe's burst of packets must not overflow the kernel's queue
            socket.Bind(new IPEndPoint(Options.ListenAddress, port));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
