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
/// Every producer and consumer has its own UDP socket. Each producer has its own receive task; the consumers' sockets,
/// which carry little more than RTCP in, share one thread that waits on all of them (<see cref="RouterOptions.PollConsumerSockets"/>).
/// A bad datagram is counted and dropped, never thrown out of a receive loop.
/// </remarks>
public sealed class Router : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Producer> _producers = [];
    private readonly List<Task> _loops = [];
    private readonly Lock _gate = new();
    private Consumer[] _polled = []; // consumers whose sockets the poller reads; copy on write, under _gate
    private Socket? _wake; // the poller waits on it too: a datagram on it says "the list changed" or "stop"

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
            if (!Options.PollConsumerSockets)
            {
                _loops.Add(consumer.RunAsync(_stopping.Token)); // the simple version: a receive loop per consumer
            }
            else
            {
                _polled = [.. _polled, consumer];
                if (_wake is null)
                {
                    _wake = Bind(0);
                    var stopping = _stopping.Token;
                    _loops.Add(Task.Factory.StartNew(() => PollConsumers(stopping), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));
                }

                WakePoller();
            }
        }

        return consumer;
    }

    /// <summary>Makes the poller look at its list again (a consumer added, or the router stopping).</summary>
    private void WakePoller()
    {
        try
        {
            if (_wake?.LocalEndPoint is IPEndPoint local)
            {
                var self = local.Address.Equals(IPAddress.Any) ? IPAddress.Loopback : local.Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : local.Address;
                _wake.SendTo(stackalloc byte[1], SocketFlags.None, new IPEndPoint(self, local.Port));
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // the poller has stopped already
        }
    }

    /// <summary>
    /// The fast version of receiving the consumers' RTCP, on a thread of its own: wait until any consumer's socket has a
    /// datagram (<see cref="Socket.Select(System.Collections.IList?, System.Collections.IList?, System.Collections.IList?, TimeSpan)"/>,
    /// a poll() of them all), read one from each that has, and again. The sockets stay blocking and outside the runtime's
    /// event loop: a socket in that loop (epoll) wakes it each time a datagram it sent leaves its send buffer, which is
    /// once per forwarded packet (README §Performance). It wakes only for datagrams, so it costs nothing per forwarded
    /// packet (one Select over more than 80 sockets allocates 8 bytes a socket: once per RTCP datagram, not per packet).
    /// </summary>
    private void PollConsumers(CancellationToken cancellationToken)
    {
        var buffer = new byte[65536];
        var from = new SocketAddress(Options.ListenAddress.AddressFamily);
        var readable = new List<Socket>();
        var wake = _wake!;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var consumers = Volatile.Read(ref _polled);
                readable.Clear();
                readable.Add(wake);
                foreach (var consumer in consumers)
                {
                    readable.Add(consumer.Socket!);
                }

                // Leaves in the list the sockets that have a datagram; the limit only bounds a wait whose wake-up was lost.
                Socket.Select(readable, null, null, TimeSpan.FromSeconds(1));
                if (readable.Contains(wake))
                {
                    wake.ReceiveFrom(buffer, SocketFlags.None, from);
                }

                foreach (var consumer in consumers)
                {
                    if (readable.Contains(consumer.Socket!))
                    {
                        consumer.ReceiveWaiting(buffer, from);
                    }
                }
            }
        }
        finally
        {
            foreach (var consumer in Volatile.Read(ref _polled))
            {
                consumer.Socket!.Dispose();
            }

            wake.Dispose();
        }
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
            WakePoller();
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
