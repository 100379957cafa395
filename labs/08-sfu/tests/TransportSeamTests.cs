using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Lab08.Sfu.Tests;

/// <summary>README §Transports: a producer and consumers without sockets, fed through Receive and sending through a sink.</summary>
public class TransportSeamTests
{
    /// <summary>A sink that keeps what it is given (copies: the span is valid only during the call).</summary>
    private sealed class Recorder : IPacketSink
    {
        public List<byte[]> Sent { get; } = [];

        public void Send(ReadOnlySpan<byte> datagram)
        {
            lock (Sent)
            {
                Sent.Add(datagram.ToArray());
            }
        }
    }

    /// <summary>A transport that has closed: it keeps what it is given, then throws as a real one would.</summary>
    private sealed class FailingSink : IPacketSink
    {
        public List<byte[]> Sent { get; } = [];

        public void Send(ReadOnlySpan<byte> datagram)
        {
            lock (Sent)
            {
                Sent.Add(datagram.ToArray());
            }

            throw new InvalidOperationException("the transport is closed");
        }
    }

    private static byte[] Be(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    [Fact(Timeout = 30_000)]
    [Trait("Milestone", "M3 router, producers and consumers")]
    public async Task Packets_fed_through_Receive_reach_a_consumers_sink_rewritten_with_its_own_payload_type()
    {
        await using var router = new Router();
        var upstream = new Recorder();
        var downstream = new Recorder();
        var producer = router.CreateProducer(upstream);
        var consumer = router.CreateConsumer(producer, downstream, new ConsumerOptions(new IPEndPoint(IPAddress.Loopback, 9))
        {
            Ssrc = 0x11223344, InitialSequenceNumber = 500, TimestampOffset = 0, PayloadType = 102,
        });
        byte[] payload = [0x65, 1, 2, 3]; // an IDR slice NAL unit (RFC 6184 §5.6, type 5)
        producer.Receive(M3RouterTests.Rtp(7000, 90000, 0xAABBCCDD, payload, marker: true));
        producer.Receive(M3RouterTests.Rtp(7001, 93000, 0xAABBCCDD, [0x41, 9], marker: false));

        Assert.True(downstream.Sent.Count == 2, $"2 RTP packets went in through Producer.Receive; the consumer's sink got {downstream.Sent.Count}. See README §Transports and §Forwarding.");
        var first = downstream.Sent[0];
        Assert.True(first[1] == (0x80 | 102) && (downstream.Sent[1][1] & 0x7F) == 102 && (downstream.Sent[1][1] & 0x80) == 0,
            $"byte 1 must keep the marker bit and carry ConsumerOptions.PayloadType 102: got 0x{first[1]:X2} and 0x{downstream.Sent[1][1]:X2} (expected 0xE6 and 0x66). See README §Transports.");
        Assert.True(BinaryPrimitives.ReadUInt16BigEndian(first.AsSpan(2)) == 500 && BinaryPrimitives.ReadUInt32BigEndian(first.AsSpan(4)) == 90000
            && BinaryPrimitives.ReadUInt32BigEndian(first.AsSpan(8)) == 0x11223344 && first.AsSpan(12).SequenceEqual(payload),
            $"the packet through the sink is rewritten as over a socket (seq 500, timestamp 90000, SSRC 0x11223344, payload untouched); got {Convert.ToHexString(first)}. See README §Rewriting.");

        // An SR from the sender (RFC 3550 §6.4.1) is answered with an RR to the producer's sink, and passed on as the consumer's own SR.
        byte[] sr = [0x80, 200, 0, 6, .. Be(0xAABBCCDD), .. Be(0xE0000000), .. Be(0x80000000), .. Be(93000), .. Be(2), .. Be(6)];
        producer.Receive(sr);
        Assert.True(upstream.Sent.Count == 1 && upstream.Sent[0][1] == 201,
            $"the sender's SR must be answered with an RR (packet type 201) through the producer's sink; it got {upstream.Sent.Count} datagrams. See README §Transports and §Receiver reports.");
        Assert.True(downstream.Sent.Count == 3 && downstream.Sent[2][1] == 200 && BinaryPrimitives.ReadUInt32BigEndian(downstream.Sent[2].AsSpan(4)) == 0x11223344,
            "the consumer's own SR (packet type 200, its SSRC, no payload-type rewriting for RTCP) must follow through its sink. See README §Rewriting.");
    }

    [Fact(Timeout = 30_000)]
    [Trait("Milestone", "M4 NACK and PLI")]
    public async Task A_nack_through_Receive_is_answered_from_the_cache_and_a_pli_goes_to_the_producers_sink()
    {
        await using var router = new Router();
        var upstream = new Recorder();
        var downstream = new Recorder();
        var producer = router.CreateProducer(upstream, new ProducerOptions { EnableNack = true });
        var consumer = router.CreateConsumer(producer, downstream, new ConsumerOptions(new IPEndPoint(IPAddress.Loopback, 9))
        {
            Ssrc = 0x11223344, InitialSequenceNumber = 100, TimestampOffset = 0,
        });
        for (ushort i = 0; i < 5; i++)
        {
            producer.Receive(M3RouterTests.Rtp((ushort)(3000 + i), 9000u * i, 0xAABBCCDD, [0x41, (byte)i]));
        }

        // Generic NACK (RFC 4585 §6.2.1): FMT 1, PT 205, PID 101, BLP bit 1 → 101 and 103.
        byte[] nack = [0x81, 205, 0, 3, .. Be(1), .. Be(0x11223344), 0, 101, 0, 0b10];
        consumer.Receive(nack);
        var resent = downstream.Sent.Skip(5).Where(p => p[1] != 200).ToList();
        Assert.True(resent.Count == 2 && BinaryPrimitives.ReadUInt16BigEndian(resent[0].AsSpan(2)) == 101 && BinaryPrimitives.ReadUInt16BigEndian(resent[1].AsSpan(2)) == 103
            && resent[0][13] == 1 && resent[1][13] == 3,
            $"a NACK for 101 and 103 through Consumer.Receive must resend exactly those packets (payloads 1 and 3) through the sink; got {resent.Count}: " +
            $"{string.Join(", ", resent.Select(Convert.ToHexString))}. See README §Transports and §Retransmission.");

        // PLI (RFC 4585 §6.3.1): FMT 1, PT 206.
        consumer.Receive([0x81, 206, 0, 2, .. Be(1), .. Be(0x11223344)]);
        var pli = upstream.Sent.LastOrDefault(p => p.Length >= 12 && p[1] == 206 && (p[0] & 0x1F) == 1);
        Assert.True(pli is not null && BinaryPrimitives.ReadUInt32BigEndian(pli.AsSpan(8)) == 0xAABBCCDD,
            $"the receiver's PLI must reach the producer's sink as a PLI about the sender's SSRC 0xAABBCCDD; the sink got {upstream.Sent.Count} datagrams. See README §Keyframe requests.");
    }

    [Fact(Timeout = 30_000)]
    [Trait("Milestone", "M3 router, producers and consumers")]
    public async Task Only_the_senders_stream_is_forwarded_and_only_its_reports_and_bye_count()
    {
        await using var router = new Router(new RouterOptions { ByeDelay = TimeSpan.Zero });
        var upstream = new Recorder();
        var downstream = new Recorder();
        var producer = router.CreateProducer(upstream);
        var consumer = router.CreateConsumer(producer, downstream, new ConsumerOptions(new IPEndPoint(IPAddress.Loopback, 9)) { Ssrc = 0x11223344, InitialSequenceNumber = 0, TimestampOffset = 0 });

        producer.Receive(M3RouterTests.Rtp(1, 0, 0xAAAAAAAA, [0x65, 1], marker: true)); // an IDR slice: a keyframe
        var otherType = M3RouterTests.Rtp(2, 0, 0xAAAAAAAA, [0x41, 2]);
        otherType[1] = 97;
        producer.Receive(otherType);
        producer.Receive(M3RouterTests.Rtp(2, 0, 0xBBBBBBBB, [0x41, 3])); // another SSRC than the first packet's
        producer.Receive(M3RouterTests.Rtp(2, 3000, 0xAAAAAAAA, [0x41, 4, 4]));
        producer.Receive(M3RouterTests.Rtp(3, 6000, 0xAAAAAAAA, [0x41, 5]));
        var payloads = downstream.Sent.Select(d => Convert.ToHexString(d.AsSpan(12))).ToList();
        Assert.True(payloads.SequenceEqual(["6501", "410404", "4105"]),
            $"Only the sender's packets of payload type 96 are forwarded (6501, 410404, 4105); payload type 97 and SSRC bbbbbbbb are dropped; the consumer sent [{string.Join(", ", payloads)}]. See README §Forwarding.");
        var stats = producer.Stats;
        Assert.True(stats.PacketsReceived == 3 && stats.BytesReceived == 14 + 15 + 14 && stats.KeyframesReceived == 1 && stats.MalformedDropped == 2 && producer.Ssrc == 0xAAAAAAAA,
            $"Producer stats: 3 packets of 14, 15 and 14 bytes received, 1 keyframe (6501), 2 dropped as malformed (payload type, SSRC), SSRC aaaaaaaa; got {stats}, SSRC {producer.Ssrc:x8}. See README §Forwarding, §Statistics.");
        Assert.True(consumer.Stats.PacketsSent == 3 && consumer.Stats.BytesSent == 14 + 15 + 14 && consumer.Stats.PayloadBytesSent == 2 + 3 + 2,
            $"Consumer stats: 3 packets, 43 bytes, 7 payload bytes sent; got {consumer.Stats.PacketsSent} packets, {consumer.Stats.BytesSent} bytes, {consumer.Stats.PayloadBytesSent} payload bytes. See README §Statistics.");

        // RFC 3550 §6.4.1 SR and §6.6 BYE from a stranger: counted as RTCP, neither kept, answered nor closing.
        byte[] Sr(uint ssrc) => [0x80, 200, 0, 6, .. Be(ssrc), .. Be(0x01020304), .. Be(0x05060708), .. Be(3000), .. Be(2), .. Be(5)];
        byte[] Bye(uint ssrc) => [0x81, 203, 0, 1, .. Be(ssrc)];
        producer.Receive(Sr(0xBBBBBBBB));
        producer.Receive(Bye(0xBBBBBBBB));
        Assert.True(producer.Stats.RtcpReceived == 2 && producer.LastSenderReport is null && upstream.Sent.Count == 0 && !producer.Closed.IsCompleted,
            $"An SR and a BYE about another SSRC than the sender's are counted (RtcpReceived 2) and otherwise ignored: no LastSenderReport, no RR, Closed not completed; got {producer.Stats}, LastSenderReport {(producer.LastSenderReport is null ? "null" : "set")}, {upstream.Sent.Count} datagrams upstream, Closed {producer.Closed.IsCompleted}. See README §Forwarding.");
        producer.Receive(Sr(0xAAAAAAAA));
        Assert.True(producer.LastSenderReport is { Ssrc: 0xAAAAAAAA, RtpTimestamp: 3000 } && upstream.Sent.Count == 1 && upstream.Sent[0][1] == 201,
            $"The sender's SR is kept and answered with an RR; got LastSenderReport {(producer.LastSenderReport is null ? "null" : $"{producer.LastSenderReport.Ssrc:x8}")}, {upstream.Sent.Count} datagrams upstream. See README §Forwarding.");
        producer.Receive([0x82, 203, 0, 2, .. Be(0xBBBBBBBB), .. Be(0xAAAAAAAA)]); // a BYE naming a stranger and the sender
        await Deadline.Within(producer.Closed, TimeSpan.FromSeconds(10), "Producer.Closed to complete after a BYE naming the sender among its sources (README §Forwarding)");

        // Before the first RTP packet the sender is unknown: a keyframe request is merged (nothing to send it to), and any
        // SR counts as the sender's (README §Keyframe requests, §Forwarding).
        var fresh = router.CreateProducer(upstream);
        fresh.RequestKeyframe();
        Assert.True(fresh.Stats.KeyframeRequestsMerged == 1 && fresh.Stats.KeyframeRequestsSent == 0 && upstream.Sent.Count == 1,
            $"A keyframe request before the sender is known is merged, and no PLI is sent; got {fresh.Stats}, {upstream.Sent.Count} datagrams upstream in all (expected 1). See README §Keyframe requests.");
        fresh.Receive(Sr(0xCCCCCCCC));
        Assert.True(fresh.LastSenderReport is { Ssrc: 0xCCCCCCCC } && upstream.Sent.Count == 2,
            $"An SR before any RTP packet is the sender's: kept and answered; got LastSenderReport {(fresh.LastSenderReport is null ? "null" : $"{fresh.LastSenderReport.Ssrc:x8}")}, {upstream.Sent.Count} datagrams upstream in all (expected 2).");
    }

    [Fact(Timeout = 30_000)]
    [Trait("Milestone", "M3 router, producers and consumers")]
    public async Task A_bye_without_any_sender_report_still_reaches_the_receiver_as_sr_and_bye()
    {
        await using var router = new Router(new RouterOptions { ByeDelay = TimeSpan.Zero });
        var downstream = new Recorder();
        var producer = router.CreateProducer(new Recorder());
        router.CreateConsumer(producer, downstream, new ConsumerOptions(new IPEndPoint(IPAddress.Loopback, 9)) { Ssrc = 0x11223344 });
        producer.Receive(M3RouterTests.Rtp(1, 0, 0xAAAAAAAA, [0x41, 1]));
        producer.Receive([0x81, 203, 0, 1, .. Be(0xAAAAAAAA)]); // RFC 3550 §6.6: BYE, one source; no SR was ever sent
        bool Said()
        {
            lock (downstream.Sent)
            {
                return downstream.Sent.Any(d => RtcpCompound.IsRtcp(d) && RtcpCompound.Parse(d) is [SenderReport { Ssrc: 0x11223344 }, Goodbye bye] && bye.Sources.Contains(0x11223344u));
            }
        }

        Assert.True(await Udp.UntilAsync(Said, TimeSpan.FromSeconds(10)),
            $"After the sender's BYE the consumer says BYE as a compound SR + BYE with its SSRC 11223344 (README §Rewriting), even when the sender never sent an SR; its sink got {downstream.Sent.Count} datagrams. See README §Forwarding.");
    }

    [Fact(Timeout = 30_000)]
    [Trait("Milestone", "M5 simulcast")]
    public async Task A_simulcast_producers_ssrc_is_its_first_packets()
    {
        await using var router = new Router();
        var producer = router.CreateProducer(new Recorder(), new ProducerOptions { Encodings = [new(0xA0, 200_000), new(0xB0, 1_000_000)] });
        producer.Receive(M3RouterTests.Rtp(1, 0, 0xA0, [0x65, 1]));
        producer.Receive(M3RouterTests.Rtp(1, 0, 0xB0, [0x65, 1]));
        Assert.True(producer.Ssrc == 0xA0 && producer.Stats.PacketsReceived == 2,
            $"Both encodings' packets are the sender's (2 received), and Ssrc is set by the first valid packet only (a0, README §Forwarding); got Ssrc {producer.Ssrc:x}, {producer.Stats}.");
    }

    [Fact(Timeout = 30_000)]
    [Trait("Milestone", "M4 NACK and PLI")]
    public async Task Nacked_numbers_no_longer_cached_or_never_sent_are_counted_and_other_ssrcs_ignored()
    {
        await using var router = new Router(new RouterOptions { PacketCacheSize = 4 });
        var upstream = new Recorder();
        var downstream = new Recorder();
        var producer = router.CreateProducer(upstream, new ProducerOptions { EnableNack = true });
        var consumer = router.CreateConsumer(producer, downstream, new ConsumerOptions(new IPEndPoint(IPAddress.Loopback, 9))
        {
            Ssrc = 0x11223344, InitialSequenceNumber = 100, TimestampOffset = 0,
        });
        for (ushort i = 0; i < 6; i++)
        {
            producer.Receive(M3RouterTests.Rtp((ushort)(3000 + i), 3000u * i, 0xAABBCCDD, [0x41, (byte)i])); // consumer numbers 100..105
        }

        // Generic NACK (RFC 4585 §6.2.1) about another SSRC: not this consumer's, ignored.
        consumer.Receive([0x81, 205, 0, 3, .. Be(1), .. Be(0x99999999), 0, 105, 0, 0]);
        Assert.True(consumer.Stats.NacksReceived == 0 && downstream.Sent.Count == 6,
            $"A NACK about SSRC 99999999 is not this consumer's (11223344): not counted, nothing resent; got {consumer.Stats}. See README §Retransmission.");

        // PID 100 with BLP bit 4 (→ 105), and PID 200: 100 carried 3000, which a 4-packet cache no longer holds; 105 is
        // cached; 200 was never sent.
        consumer.Receive([0x81, 205, 0, 4, .. Be(1), .. Be(0x11223344), 0, 100, 0, 0x10, 0, 200, 0, 0]);
        var resent = downstream.Sent.Skip(6).ToList();
        Assert.True(resent.Count == 1 && resent[0].AsSpan(2, 2).SequenceEqual(new byte[] { 0, 105 }) && resent[0][13] == 5,
            $"Of 100, 105 and 200 only 105 (the producer's 3005, payload 41 05) can be resent; got {resent.Count}: {string.Join(", ", resent.Select(Convert.ToHexString))}. See README §Retransmission.");
        Assert.True(consumer.Stats.NacksReceived == 1 && consumer.Stats.Retransmitted == 1 && producer.Stats.Retransmissions == 1 && producer.Stats.NackedNotInCache == 2,
            $"One NACK counted, one retransmission (consumer and producer), two numbers not in the cache (100: overwritten, 200: never sent); got consumer {consumer.Stats}; producer {producer.Stats}. See README §Retransmission, §Statistics.");
    }

    [Theory(Timeout = 60_000)]
    [InlineData(true)]
    [InlineData(false)]
    [Trait("Milestone", "M4 NACK and PLI")]
    public async Task A_pli_whose_transport_throws_does_not_stop_the_consumers_rtcp_loop(bool pollConsumerSockets)
    {
        // A producer on a transport that fails when the PLI goes upstream, and two consumers with sockets: the exception
        // comes out of one consumer's RTCP handling on the router's receive loop (README §Architecture: a bad datagram is
        // counted and dropped). Both consumers must still be served afterwards.
        var step = TimeSpan.FromSeconds(10);
        await using var router = new Router(new RouterOptions { PollConsumerSockets = pollConsumerSockets });
        var upstream = new FailingSink();
        var producer = router.CreateProducer(upstream);
        using var receiverA = Udp.Bound();
        using var receiverB = Udp.Bound();
        var a = router.CreateConsumer(producer, new ConsumerOptions(new IPEndPoint(IPAddress.Loopback, receiverA.Port())) { Ssrc = 0xA0A0A0A0 });
        var b = router.CreateConsumer(producer, new ConsumerOptions(new IPEndPoint(IPAddress.Loopback, receiverB.Port())) { Ssrc = 0xB0B0B0B0 });
        producer.Receive(M3RouterTests.Rtp(1, 0, 0xAABBCCDD, [0x41, 1])); // the sender is known: a PLI goes upstream at once

        byte[] pli = [0x81, 206, 0, 2, .. Be(1), .. Be(0xA0A0A0A0)];
        await receiverA.SendToAsync(pli, SocketFlags.None, a.LocalEndPoint);
        Assert.True(await Udp.UntilAsync(() => a.Stats.PlisReceived == 1 && upstream.Sent.Count == 1, step),
            $"receiver A's PLI (RFC 4585 §6.3.1) must reach the producer's transport as a PLI; consumer A: {a.Stats}, the transport got {upstream.Sent.Count} datagrams. See README §Keyframe requests.");
        Assert.True(await Udp.UntilAsync(() => a.Stats.HandlingFailures == 1, step),
            $"the transport threw while the PLI went upstream: that datagram is dropped and counted in ConsumerStats.HandlingFailures (1); got {a.Stats}.");

        // Receiver reports (RFC 3550 §6.4.2) with one block about each consumer: fraction lost 64 and 32.
        byte[] Rr(uint about, byte fraction) => [0x81, 201, 0, 7, .. Be(0x1234), .. Be(about), fraction, 0, 0, 0, .. Be(0), .. Be(0), .. Be(0), .. Be(0)];
        await receiverB.SendToAsync(Rr(0xB0B0B0B0, 64), SocketFlags.None, b.LocalEndPoint);
        await receiverA.SendToAsync(Rr(0xA0A0A0A0, 32), SocketFlags.None, a.LocalEndPoint);
        Assert.True(await Udp.UntilAsync(() => b.Stats.LastFractionLost == 64 && a.Stats.LastFractionLost == 32, step),
            $"after the failure both consumers' receivers are still heard (fraction lost 64 for B, 32 for A); consumer A: {a.Stats}; consumer B: {b.Stats}. One datagram's exception must never end the loop that serves the others.");
    }
}
