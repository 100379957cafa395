using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Lab08.Sfu.Tests;

/// <summary>M4: retransmission from the producer's cache through a lossy path; PLI merged and limited; NACK upstream.</summary>
public class M4RecoveryTests
{
    private const string Milestone = "M4 NACK and PLI";

    private static readonly TimeSpan Step = TimeSpan.FromSeconds(10);

    private static byte[] Pli(uint sender, uint media) => [0x81, 206, 0, 2, .. Be(sender), .. Be(media)];

    private static byte[] Be(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    /// <summary>A generic NACK written by hand (RFC 4585 §6.2.1): one item per number, BLP 0.</summary>
    private static byte[] Nack(uint sender, uint media, IReadOnlyList<ushort> lost)
    {
        var bytes = new byte[12 + (4 * lost.Count)];
        bytes[0] = 0x81;
        bytes[1] = 205;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), (ushort)((bytes.Length / 4) - 1));
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), sender);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8), media);
        for (int i = 0; i < lost.Count; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(12 + (4 * i)), lost[i]);
        }

        return bytes;
    }

    [Theory(Timeout = 60_000)]
    [InlineData(true)]
    [InlineData(false)]
    [Trait("Milestone", Milestone)]
    public async Task Keyframe_requests_from_many_receivers_reach_the_sender_merged_and_at_most_once_a_second(bool pollConsumerSockets)
    {
        // Both ways of receiving the consumers' RTCP (RouterOptions.PollConsumerSockets, README §Performance) deliver it.
        var clock = new ManualClock();
        await using var router = new Router(new RouterOptions { Clock = clock, KeyframeRequestInterval = TimeSpan.FromSeconds(1), PollConsumerSockets = pollConsumerSockets });
        var producer = router.CreateProducer();
        using var sender = Udp.Bound();
        await sender.SendToAsync(M3RouterTests.Rtp(1, 0, 0x5E5E5E5E, [0x41, 1]), SocketFlags.None, producer.LocalEndPoint);
        var receivers = Enumerable.Range(0, 3).Select(_ => Udp.Bound()).ToList();
        var consumers = receivers.Select(r => router.CreateConsumer(producer, new ConsumerOptions(new IPEndPoint(IPAddress.Loopback, r.Port())))).ToList();
        Assert.True(await Udp.UntilAsync(() => producer.SenderEndPoint is not null, Step), "The producer learns the sender from its first packet.");

        for (int k = 0; k < 3; k++)
        {
            await receivers[k].SendToAsync(Pli(0x1000u + (uint)k, consumers[k].Ssrc), SocketFlags.None, consumers[k].LocalEndPoint);
        }

        Assert.True(await Udp.UntilAsync(() => consumers.All(c => c.Stats.PlisReceived == 1) && producer.Stats.KeyframeRequestsSent + producer.Stats.KeyframeRequestsMerged == 3, Step),
            $"Each consumer counts the PLI its receiver sent and passes it on to the producer. Consumers: {string.Join(" | ", consumers.Select(c => c.Stats))}; producer: {producer.Stats}. See README §Keyframe requests.");
        Assert.True(producer.Stats.KeyframeRequestsSent == 1 && producer.Stats.KeyframeRequestsMerged == 2,
            $"Three PLIs at the same instant: one PLI goes to the sender, two are merged into it; got sent {producer.Stats.KeyframeRequestsSent}, merged {producer.Stats.KeyframeRequestsMerged}. See README §Keyframe requests.");
        var pli = await sender.ReceiveAsync(Step);
        var parsed = pli is null ? null : RtcpCompound.Parse(pli).OfType<PictureLossIndication>().SingleOrDefault();
        Assert.True(parsed is not null && parsed.MediaSsrc == 0x5E5E5E5E && parsed.SenderSsrc == producer.FeedbackSsrc,
            $"The sender gets a PLI for its own SSRC (5e5e5e5e) from the producer's FeedbackSsrc; got {(pli is null ? "nothing" : Convert.ToHexString(pli))}. See README §Keyframe requests.");

        clock.Advance(TimeSpan.FromMilliseconds(999));
        await receivers[0].SendToAsync(Pli(0x1000, consumers[0].Ssrc), SocketFlags.None, consumers[0].LocalEndPoint);
        Assert.True(await Udp.UntilAsync(() => producer.Stats.KeyframeRequestsMerged == 3, Step) && producer.Stats.KeyframeRequestsSent == 1,
            $"999 ms after the PLI another request is still merged; got {producer.Stats}. See README §Keyframe requests.");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await receivers[1].SendToAsync(Pli(0x1001, consumers[1].Ssrc), SocketFlags.None, consumers[1].LocalEndPoint);
        var second = await sender.ReceiveAsync(Step);
        Assert.True(second is not null && RtcpCompound.Parse(second).OfType<PictureLossIndication>().Any(), "One second after the first PLI, the next request goes to the sender.");
        Assert.True(await Udp.UntilAsync(() => producer.Stats.KeyframeRequestsSent == 2, Step), $"Two PLIs sent in all; got {producer.Stats}.");

        await receivers[2].SendToAsync(Pli(0x1002, 0xDEAD), SocketFlags.None, consumers[2].LocalEndPoint);
        await receivers[2].SendToAsync(new byte[] { 0x80, 0xC9, 0, 1, 0, 0, 0, 1 }, SocketFlags.None, consumers[2].LocalEndPoint);
        Assert.True(await Udp.UntilAsync(() => consumers[2].Stats.RtcpReceived == 3, Step) && consumers[2].Stats.PlisReceived == 1,
            $"A PLI about another SSRC is not this consumer's: not counted, not passed on; got {consumers[2].Stats}.");
        foreach (var r in receivers)
        {
            r.Dispose();
        }
    }

    [Fact(Timeout = 60_000)]
    [Trait("Milestone", Milestone)]
    public async Task The_producer_nacks_the_senders_losses_and_asks_for_a_keyframe_when_too_many_are_lost()
    {
        var clock = new ManualClock();
        await using var router = new Router(new RouterOptions { Clock = clock });
        var producer = router.CreateProducer(new ProducerOptions { EnableNack = true });
        using var sender = Udp.Bound();
        foreach (ushort s in new ushort[] { 1, 2, 3, 5 })
        {
            await sender.SendToAsync(M3RouterTests.Rtp(s, 0, 0x77777777, [0x41, (byte)s]), SocketFlags.None, producer.LocalEndPoint);
        }

        Assert.True(await Udp.UntilAsync(() => producer.Stats.PacketsReceived == 4, Step), $"4 packets received; got {producer.Stats}.");
        clock.Advance(TimeSpan.FromMilliseconds(100));
        await sender.SendToAsync(M3RouterTests.Rtp(6, 0, 0x77777777, [0x41, 6]), SocketFlags.None, producer.LocalEndPoint);
        var nack = await sender.ReceiveAsync(Step);
        var parsed = nack is null ? null : RtcpCompound.Parse(nack).OfType<GenericNack>().SingleOrDefault();
        Assert.True(parsed is not null && parsed.MediaSsrc == 0x77777777 && parsed.LostSequenceNumbers().SequenceEqual(new ushort[] { 4 }),
            $"100 ms after 4 went missing, the next packet's arrival makes the producer NACK 4 to the sender; got {(nack is null ? "nothing" : Convert.ToHexString(nack))}. See README §NACK generation.");
        Assert.True(await Udp.UntilAsync(() => producer.Stats.NacksSent == 1, Step), $"One NACK sent to the sender counts in NacksSent; got {producer.Stats}. See README §NACK generation.");

        await sender.SendToAsync(M3RouterTests.Rtp(3000, 0, 0x77777777, [0x41, 7]), SocketFlags.None, producer.LocalEndPoint);
        var pli = await sender.ReceiveAsync(Step);
        Assert.True(pli is not null && RtcpCompound.Parse(pli).OfType<PictureLossIndication>().Any(p => p.MediaSsrc == 0x77777777),
            $"A jump from 6 to 3000 loses more than 1000 packets: the NACK list overflows, and the producer asks the sender for a keyframe (PLI) instead; got {(pli is null ? "nothing" : Convert.ToHexString(pli))}. See README §NACK generation.");
    }

    [Fact(Timeout = 90_000)]
    [Trait("Milestone", Milestone)]
    public async Task A_receiver_behind_a_lossy_path_recovers_at_least_99_percent_of_its_losses_by_nack()
    {
        const int Count = 1500;
        await using var router = new Router();
        var producer = router.CreateProducer(new ProducerOptions { EnableNack = true });
        using var receiver = Udp.Bound();
        using var relay = Udp.Bound();
        using var sender = Udp.Bound();
        var consumer = router.CreateConsumer(producer, new ConsumerOptions(new IPEndPoint(IPAddress.Loopback, relay.Port())) { Ssrc = 0xABCD0001, InitialSequenceNumber = 65000 });
        var ct = TestContext.Current.CancellationToken;
        using var done = CancellationTokenSource.CreateLinkedTokenSource(ct);

        // The lossy path (a seeded 5 % drop, 3 % duplicated, 3 % held back behind the next packet) between consumer and receiver.
        var droppedFirstTime = new HashSet<ushort>();
        var seen = new HashSet<ushort>();
        var relayTask = Task.Run(async () =>
        {
            var random = new Random(5);
            var buffer = new byte[2048];
            byte[]? held = null;
            var to = new IPEndPoint(IPAddress.Loopback, receiver.Port());
            while (!done.IsCancellationRequested)
            {
                int n;
                try
                {
                    n = await relay.ReceiveAsync(buffer, SocketFlags.None, done.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                var packet = buffer[..n];
                ushort seq = BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2));
                double roll = random.NextDouble();
                bool first = seen.Add(seq);
                if (roll < 0.05)
                {
                    if (first)
                    {
                        lock (droppedFirstTime)
                        {
                            droppedFirstTime.Add(seq);
                        }
                    }

                    continue;
                }

                if (roll < 0.08 && held is null)
                {
                    held = packet;
                    continue;
                }

                await relay.SendToAsync(packet, SocketFlags.None, to, done.Token);
                if (roll < 0.11)
                {
                    await relay.SendToAsync(packet, SocketFlags.None, to, done.Token);
                }

                if (held is not null)
                {
                    await relay.SendToAsync(held, SocketFlags.None, to, done.Token);
                    held = null;
                }
            }
        }, ct);

        // The receiver: keeps what arrives and NACKs (by hand, RFC 4585 §6.2.1) every number it is missing, every 20 ms.
        var received = new Dictionary<ushort, byte[]>();
        int highest = -1;
        var receiveTask = Task.Run(async () =>
        {
            var buffer = new byte[2048];
            while (!done.IsCancellationRequested)
            {
                int n;
                try
                {
                    n = await receiver.ReceiveAsync(buffer, SocketFlags.None, done.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                var packet = RtpPacket.Parse(buffer.AsSpan(0, n));
                int index = (ushort)(packet.SequenceNumber - 65000);
                lock (received)
                {
                    received.TryAdd(packet.SequenceNumber, packet.Payload.ToArray());
                    highest = Math.Max(highest, index);
                }
            }
        }, ct);
        var nackTask = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(20, done.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                List<ushort> missing;
                lock (received)
                {
                    missing = [.. Enumerable.Range(0, highest + 1).Select(i => (ushort)(65000 + i)).Where(s => !received.ContainsKey(s))];
                }

                foreach (var chunk in missing.Chunk(60))
                {
                    await receiver.SendToAsync(Nack(0x2222, consumer.Ssrc, chunk), SocketFlags.None, consumer.LocalEndPoint, done.Token);
                }
            }
        }, ct);

        for (int i = 0; i < Count; i++)
        {
            var payload = new byte[200];
            payload[0] = 0x41;
            BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(1), i);
            await sender.SendToAsync(M3RouterTests.Rtp((ushort)(30000 + i), (uint)(3000 * (i / 5)), 0x99999999, payload), SocketFlags.None, producer.LocalEndPoint, ct);
            if (i % 20 == 19)
            {
                await Task.Delay(2, ct); // about 10 000 packets/s: a fast stream, well within the sockets' buffers
            }
        }

        bool complete = await Udp.UntilAsync(() => { lock (received) { return received.Count == Count; } }, TimeSpan.FromSeconds(20));
        await done.CancelAsync();
        await Task.WhenAll(relayTask, receiveTask, nackTask);

        int lost = droppedFirstTime.Count;
        int recovered = droppedFirstTime.Count(received.ContainsKey);
        TestContext.Current.TestOutputHelper?.WriteLine($"lossy relay: {lost} of {Count} packets dropped on their first pass, {recovered} recovered by NACK ({100.0 * recovered / Math.Max(1, lost):0.0} %); producer: {producer.Stats}; consumer: {consumer.Stats}");
        Assert.True(lost > 30, $"The seeded relay dropped only {lost} of {Count} packets on their first pass; the test expects about 5 %.");
        Assert.True(recovered >= 0.99 * lost,
            $"The relay dropped {lost} packets on their first pass; the receiver's NACKs recovered {recovered} ({100.0 * recovered / lost:0.0} %), expected at least 99 %. Producer: {producer.Stats}. Consumer: {consumer.Stats}. See README §Retransmission.");
        foreach (var (seq, payload) in received)
        {
            int index = BinaryPrimitives.ReadInt32BigEndian(payload.AsSpan(1));
            Assert.True((ushort)(65000 + index) == seq, $"Packet {index} of the sender arrived as consumer number {seq}; a retransmission must carry the number the packet was first sent with ({(ushort)(65000 + index)}). See README §Retransmission.");
        }

        Assert.True(await Udp.UntilAsync(() => producer.Stats.Retransmissions == consumer.Stats.Retransmitted, Step) && consumer.Stats.Retransmitted >= recovered,
            $"Stats: the consumer retransmitted {consumer.Stats.Retransmitted}, the producer counts {producer.Stats.Retransmissions}; at least the {recovered} recovered. See README §Statistics.");
        Assert.True(complete || recovered >= 0.99 * lost, "Unreachable: the recovery figure is checked above.");
    }
}
