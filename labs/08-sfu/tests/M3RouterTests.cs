using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Lab08.Sfu.Tests;

/// <summary>M3: the router forwards a producer to consumers, each with its own SSRC, sequence numbers and timestamps.</summary>
public class M3RouterTests
{
    private const string Milestone = "M3 router, producers and consumers";

    private static readonly TimeSpan Step = TimeSpan.FromSeconds(10);

    /// <summary>An RTP packet written by hand (RFC 3550 §5.1): V=2, PT 96, the given fields; padding-only when payload is empty.</summary>
    internal static byte[] Rtp(ushort sequence, uint timestamp, uint ssrc, byte[] payload, bool marker = false)
    {
        bool paddingOnly = payload.Length == 0;
        var packet = new byte[12 + payload.Length + (paddingOnly ? 4 : 0)];
        packet[0] = (byte)(paddingOnly ? 0xA0 : 0x80);
        packet[1] = (byte)((marker ? 0x80 : 0) | 96);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        payload.CopyTo(packet, 12);
        if (paddingOnly)
        {
            packet[^1] = 4;
        }

        return packet;
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_sdp_has_the_lines_ffmpeg_writes_for_the_same_stream()
    {
        string sdp = SdpWriter.Write(new IPEndPoint(IPAddress.Loopback, 5004), 96, "H264", 90000, "packetization-mode=1");
        Assert.True(sdp.EndsWith("\r\n", StringComparison.Ordinal) && !sdp.Replace("\r\n", "", StringComparison.Ordinal).Contains('\n', StringComparison.Ordinal),
            "Every SDP line ends with CRLF (RFC 8866 §5). See README §SDP.");
        var lines = sdp.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        // ffmpeg's own SDP for the same kind of stream (testdata/08-sfu/clip.sdp, written by ffmpeg -sdp_file).
        var ffmpeg = File.ReadAllLines(Repo.TestData("08-sfu/clip.sdp"));
        string ffmpegMedia = ffmpeg.Single(l => l.StartsWith("m=", StringComparison.Ordinal));
        string expectedMedia = string.Join(' ', ffmpegMedia.Split(' ').Select((w, i) => i == 1 ? "5004" : w));
        foreach (string expected in new[] { "v=0", "c=IN IP4 127.0.0.1", "t=0 0", expectedMedia, ffmpeg.Single(l => l.StartsWith("a=rtpmap:", StringComparison.Ordinal)), "a=fmtp:96 packetization-mode=1" })
        {
            Assert.True(lines.Contains(expected), $"The SDP for a receiver at 127.0.0.1:5004 must have the line \"{expected}\" (as ffmpeg writes it); yours:\n{sdp}\nSee README §SDP.");
        }

        Assert.True(lines[0] == "v=0" && lines.Count(l => l.StartsWith("o=", StringComparison.Ordinal)) == 1 && lines.Count(l => l.StartsWith("s=", StringComparison.Ordinal)) == 1,
            $"An SDP starts with v=0 and has one o= and one s= line (RFC 8866 §5); yours:\n{sdp}");
        Assert.True(Array.FindIndex(lines, l => l.StartsWith("m=", StringComparison.Ordinal)) < Array.FindIndex(lines, l => l.StartsWith("a=rtpmap", StringComparison.Ordinal)),
            "The media's a= lines follow its m= line (RFC 8866 §5).");

        string v6 = SdpWriter.Write(new IPEndPoint(IPAddress.IPv6Loopback, 6000), 100, "H264", 90000, null);
        Assert.True(v6.Contains("c=IN IP6 ::1\r\n", StringComparison.Ordinal) && v6.Contains("m=video 6000 RTP/AVP 100\r\n", StringComparison.Ordinal) && v6.Contains("a=rtpmap:100 H264/90000\r\n", StringComparison.Ordinal) && !v6.Contains("a=fmtp", StringComparison.Ordinal),
            $"For [::1]:6000, payload type 100 and no format parameters: c=IN IP6 ::1, m=video 6000 RTP/AVP 100, a=rtpmap:100 H264/90000 and no a=fmtp; yours:\n{v6}");
    }

    [Fact(Timeout = 60_000)]
    [Trait("Milestone", Milestone)]
    public async Task Each_consumer_sees_its_own_continuous_stream_and_padding_only_packets_are_not_forwarded()
    {
        await using var router = new Router(new RouterOptions { ByeDelay = TimeSpan.Zero });
        var producer = router.CreateProducer();
        using var receiverA = Udp.Bound();
        using var receiverB = Udp.Bound();
        using var rtcpA = Udp.Bound();
        var a = router.CreateConsumer(producer, new ConsumerOptions(new IPEndPoint(IPAddress.Loopback, receiverA.Port()))
        {
            RemoteRtcp = new IPEndPoint(IPAddress.Loopback, rtcpA.Port()), Ssrc = 0xCAFEBABE, InitialSequenceNumber = 65534, TimestampOffset = 1000,
        });
        var b = router.CreateConsumer(producer, new ConsumerOptions(new IPEndPoint(IPAddress.Loopback, receiverB.Port())) { Ssrc = 0x0B0B0B0B, InitialSequenceNumber = 7, TimestampOffset = 0xFFFFFF00 });
        using var sender = Udp.Bound();
        var to = producer.LocalEndPoint;

        // The sender's packets 40000..40005; 40002 is padding only (no payload). Timestamps go up by 3000.
        var sent = new List<(ushort Seq, uint Ts, byte[] Payload)>();
        for (int i = 0; i < 6; i++)
        {
            byte[] payload = i == 2 ? [] : [0x41, (byte)i, 0xEE];
            sent.Add(((ushort)(40000 + i), (uint)(90000 + (3000 * i)), payload));
            await sender.SendToAsync(Rtp((ushort)(40000 + i), (uint)(90000 + (3000 * i)), 0x11111111, payload, marker: i % 2 == 1), SocketFlags.None, to);
        }

        var forwarded = sent.Where(s => s.Payload.Length > 0).ToList();
        foreach (var (receiver, consumer, firstSeq, offset) in new[] { (receiverA, a, (ushort)65534, 1000u), (receiverB, b, (ushort)7, 0xFFFFFF00u) })
        {
            for (int k = 0; k < forwarded.Count; k++)
            {
                var datagram = await receiver.ReceiveAsync(Step);
                Assert.True(datagram is not null, $"Consumer {consumer.Ssrc:x8} forwarded {k} of the {forwarded.Count} packets with a payload (the padding-only one must not be forwarded). See README §Forwarding.");
                var packet = RtpPacket.Parse(datagram!);
                ushort expectedSeq = unchecked((ushort)(firstSeq + k));
                uint expectedTs = unchecked(forwarded[k].Ts + offset);
                Assert.True(packet.Ssrc == consumer.Ssrc, $"Packet {k}: the receiver must see the consumer's SSRC {consumer.Ssrc:x8}, got {packet.Ssrc:x8}. See README §Rewriting.");
                Assert.True(packet.SequenceNumber == expectedSeq,
                    $"Packet {k} (the producer's {forwarded[k].Seq}): expected sequence number {expectedSeq} — consumer's first number {firstSeq}, one up per forwarded packet, no gap where the padding-only packet was (and wrapping at 65535); got {packet.SequenceNumber}. See README §Rewriting.");
                Assert.True(packet.Timestamp == expectedTs, $"Packet {k}: expected timestamp {forwarded[k].Ts} + {offset} = {expectedTs} (mod 2^32), got {packet.Timestamp}. See README §Rewriting.");
                Assert.True(packet.Marker == (forwarded[k].Seq % 2 == 1) && packet.Payload.Span.SequenceEqual(forwarded[k].Payload),
                    $"Packet {k}: marker and payload are forwarded unchanged. See README §Forwarding.");
            }
        }

        Assert.True(await Udp.UntilAsync(() => producer.Stats.PacketsReceived == 6 && producer.Stats.PaddingOnlyDropped == 1 && a.Stats.PacketsSent == 5 && b.Stats.PacketsSent == 5, Step),
            $"Stats: the producer received 6 packets, dropped 1 padding-only; each consumer sent 5. Got producer: {producer.Stats}; A: {a.Stats}; B: {b.Stats}. See README §Statistics.");
        Assert.True(producer.Ssrc == 0x11111111, $"The producer learns the sender's SSRC (11111111) from its first packet; got {producer.Ssrc:x8}.");

        // The sender's SR reaches the receiver as the consumer's own SR; its BYE as the consumer's BYE.
        var sr = new byte[] { 0x80, 200, 0, 6, 0x11, 0x11, 0x11, 0x11, 0xEE, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x5F, 0x90, 0, 0, 0, 9, 0, 0, 0, 99 };
        await sender.SendToAsync(sr, SocketFlags.None, to);
        var report = await rtcpA.ReceiveAsync(Step);
        Assert.True(report is not null, "After the sender's SR, consumer A sends its receiver an SR of its own (to the RTCP address). See README §Rewriting.");
        var mine = RtcpCompound.Parse(report!).OfType<SenderReport>().SingleOrDefault();
        Assert.True(mine is { Ssrc: 0xCAFEBABE, NtpTimestamp: 0xEE00000000000000, RtpTimestamp: 90000 + 1000, PacketCount: 5, OctetCount: 15 },
            $"Consumer A's SR: SSRC cafebabe, the sender's NTP time ee00000000000000, RTP time 90000 + offset 1000, and its own counts (5 packets, 15 payload octets); got {(mine is null ? "no SR" : $"{mine.Ssrc:x8} {mine.NtpTimestamp:x16} {mine.RtpTimestamp} {mine.PacketCount} {mine.OctetCount}")}. See README §Rewriting.");

        await sender.SendToAsync(new byte[] { 0x81, 203, 0, 1, 0x11, 0x11, 0x11, 0x11 }, SocketFlags.None, to);
        var bye = await rtcpA.ReceiveAsync(Step);
        Assert.True(bye is not null && RtcpCompound.Parse(bye).OfType<Goodbye>().Any(g => g.Sources.Contains(0xCAFEBABE)),
            "After the sender's BYE, consumer A says BYE (its own SSRC) to its receiver's RTCP address: that is how ffmpeg knows the stream ended. See README §Forwarding.");
        await Deadline.Within(producer.Closed, Step, "Producer.Closed to complete after the sender's BYE");
    }

    [Fact(Timeout = 60_000)]
    [Trait("Milestone", Milestone)]
    public async Task The_producer_answers_the_senders_report_with_a_receiver_report()
    {
        var clock = new ManualClock();
        await using var router = new Router(new RouterOptions { Clock = clock });
        var producer = router.CreateProducer();
        using var sender = Udp.Bound();
        foreach (ushort s in new ushort[] { 1, 2, 3, 5 }) // 4 is lost
        {
            await sender.SendToAsync(Rtp(s, 9000, 0x44444444, [0x41, (byte)s]), SocketFlags.None, producer.LocalEndPoint);
        }

        Assert.True(await Udp.UntilAsync(() => producer.Stats.PacketsReceived == 4, Step), $"4 packets received; got {producer.Stats}.");
        // An SR from the sender: NTP timestamp 0x1122334455667788, so LSR is its middle 32 bits, 0x33445566 (RFC 3550 §6.4.1).
        byte[] sr = [0x80, 200, 0, 6, 0x44, 0x44, 0x44, 0x44, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0, 0, 0x23, 0x28, 0, 0, 0, 4, 0, 0, 0, 8];
        await sender.SendToAsync(sr, SocketFlags.None, producer.LocalEndPoint);
        var answer = await sender.ReceiveAsync(Step);
        var rr = answer is null ? null : RtcpCompound.Parse(answer).OfType<ReceiverReport>().SingleOrDefault();
        Assert.True(rr is not null && rr.Ssrc == producer.FeedbackSsrc && rr.Reports.Count == 1,
            $"The producer answers the sender's SR with an RR from its FeedbackSsrc with one report block; got {(answer is null ? "nothing" : Convert.ToHexString(answer))}. See README §Forwarding.");
        var block = rr!.Reports[0];
        // Expected 5 (1..5), received 4: cumulative lost 1, fraction (1 << 8) / 5 = 51 (RFC 3550 §A.3); all at one instant, one timestamp: jitter 0.
        Assert.True(block == new ReceptionReport(0x44444444, 51, 1, 5, 0, 0x33445566, 0),
            $"The block about 44444444: fraction 51, cumulative lost 1, extended highest 5, jitter 0, LSR 33445566, DLSR 0; got {block}. See README §Forwarding (RFC 3550 §6.4.2, §A.3).");
    }

    /// <summary>
    /// A receiver report written by hand (RFC 3550 §6.4.2): V=2, RC=1, PT 201, length 7, the reporter's SSRC, then one
    /// 24-byte report block (§6.4.1) about <paramref name="source"/>.
    /// </summary>
    internal static byte[] ReceiverReportBytes(uint reporter, uint source, byte fractionLost, int cumulativeLost, uint extendedHighest, uint jitter)
    {
        var packet = new byte[32];
        packet[0] = 0x81;
        packet[1] = 201;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), 7);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), reporter);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), source);
        packet[12] = fractionLost;
        packet[13] = (byte)(cumulativeLost >> 16);
        packet[14] = (byte)(cumulativeLost >> 8);
        packet[15] = (byte)cumulativeLost;
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(16), extendedHighest);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(20), jitter);
        return packet; // LSR and DLSR 0
    }

    [Fact(Timeout = 60_000)]
    [Trait("Milestone", Milestone)]
    public async Task The_receiver_report_upstream_carries_the_worst_downstream_fraction_lost_and_the_producers_own_numbers()
    {
        var clock = new ManualClock();
        await using var router = new Router(new RouterOptions { Clock = clock });
        var producer = router.CreateProducer();
        using var receiverA = Udp.Bound();
        using var receiverB = Udp.Bound();
        var a = router.CreateConsumer(producer, new ConsumerOptions(new IPEndPoint(IPAddress.Loopback, receiverA.Port())) { Ssrc = 0xAAAA0001, InitialSequenceNumber = 30000 });
        var b = router.CreateConsumer(producer, new ConsumerOptions(new IPEndPoint(IPAddress.Loopback, receiverB.Port())) { Ssrc = 0xBBBB0002, InitialSequenceNumber = 50000 });
        using var sender = Udp.Bound();
        for (ushort s = 1; s <= 10; s++) // nothing lost between the sender and the SFU
        {
            await sender.SendToAsync(Rtp(s, 9000, 0x55555555, [0x41, (byte)s]), SocketFlags.None, producer.LocalEndPoint);
        }

        Assert.True(await Udp.UntilAsync(() => producer.Stats.PacketsReceived == 10, Step), $"10 packets received; got {producer.Stats}.");
        Assert.True(producer.WorstRemoteFractionLost == 0, $"Before any receiver reports, WorstRemoteFractionLost is 0; got {producer.WorstRemoteFractionLost}. See README §Receiver reports.");

        // The receivers report on their own streams, in their consumers' sequence spaces (30000.., 50000..): A lost a
        // quarter (64/256), B a tenth (25/256). A's RR also has a block about a stranger with 200/256: not about A's SSRC, ignored.
        byte[] fromA = [.. ReceiverReportBytes(0x0000A11C, 0xAAAA0001, 64, 3, 30009, 40), .. ReceiverReportBytes(0x0000A11C, 0x12345678, 200, 99, 7, 0)];
        await receiverA.SendToAsync(fromA, SocketFlags.None, a.LocalEndPoint);
        await receiverB.SendToAsync(ReceiverReportBytes(0x00000B0B, 0xBBBB0002, 25, 1, 50009, 10), SocketFlags.None, b.LocalEndPoint);
        Assert.True(await Udp.UntilAsync(() => a.Stats.LastFractionLost == 64 && b.Stats.LastFractionLost == 25, Step),
            $"Each consumer keeps the fraction lost of its receiver's block about its own SSRC: expected A 64, B 25; got A {a.Stats.LastFractionLost}, B {b.Stats.LastFractionLost}.");
        Assert.True(producer.WorstRemoteFractionLost == 64, $"WorstRemoteFractionLost is the largest of the consumers' (64 and 25): expected 64, got {producer.WorstRemoteFractionLost}. See README §Receiver reports.");

        // The sender's SR (NTP 0x0102030405060708: LSR 0x03040506, RFC 3550 §6.4.1) is answered with one RR block about the
        // sender's SSRC: the fraction lost is the worst downstream (64 > the SFU's own 0), everything else is the
        // producer's own count in the sender's sequence space (extended highest 10, cumulative lost 0) — never a
        // receiver's block passed on (its SSRC and its numbers 30009 or 50009 mean nothing to the sender).
        byte[] sr = [0x80, 200, 0, 6, 0x55, 0x55, 0x55, 0x55, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0, 0, 0x23, 0x28, 0, 0, 0, 10, 0, 0, 0, 20];
        await sender.SendToAsync(sr, SocketFlags.None, producer.LocalEndPoint);
        var answer = await sender.ReceiveAsync(Step);
        var rr = answer is null ? null : RtcpCompound.Parse(answer).OfType<ReceiverReport>().SingleOrDefault();
        Assert.True(rr is not null && rr.Ssrc == producer.FeedbackSsrc && rr.Reports.Count == 1,
            $"The producer answers the sender's SR with one RR from its FeedbackSsrc with exactly one report block (about the sender); got {(answer is null ? "nothing" : Convert.ToHexString(answer))}. See README §Receiver reports.");
        var block = rr!.Reports[0];
        Assert.True(block == new ReceptionReport(0x55555555, 64, 0, 10, 0, 0x03040506, 0),
            $"The block upstream: SSRC 55555555 (the sender's), fraction lost 64 (the worst receiver's, above the SFU's own 0), cumulative lost 0, extended highest 10 and jitter 0 (the SFU's own reception), LSR 03040506, DLSR 0; got {block}. See README §Receiver reports (RFC 3550 §6.4.1, §6.4.2).");

        // Later the receivers recover (A 0, B 10), and the SFU itself loses 16 of the sender's 11..17.
        await receiverA.SendToAsync(ReceiverReportBytes(0x0000A11C, 0xAAAA0001, 0, 3, 30014, 40), SocketFlags.None, a.LocalEndPoint);
        await receiverB.SendToAsync(ReceiverReportBytes(0x00000B0B, 0xBBBB0002, 10, 1, 50014, 10), SocketFlags.None, b.LocalEndPoint);
        foreach (ushort s in new ushort[] { 11, 12, 13, 14, 15, 17 })
        {
            await sender.SendToAsync(Rtp(s, 9000, 0x55555555, [0x41, (byte)s]), SocketFlags.None, producer.LocalEndPoint);
        }

        Assert.True(await Udp.UntilAsync(() => producer.Stats.PacketsReceived == 16 && a.Stats.LastFractionLost == 0 && b.Stats.LastFractionLost == 10, Step),
            $"16 packets received and the new reports heard (A 0, B 10); got {producer.Stats}; A {a.Stats.LastFractionLost}, B {b.Stats.LastFractionLost}.");
        await sender.SendToAsync(sr, SocketFlags.None, producer.LocalEndPoint);
        answer = await sender.ReceiveAsync(Step);
        block = answer is null ? null! : RtcpCompound.Parse(answer).OfType<ReceiverReport>().Single().Reports[0];
        // Since the previous report: expected 7 (11..17), received 6, so (1 << 8) / 7 = 36 (RFC 3550 §A.3), above the worst receiver's 10.
        Assert.True(block == new ReceptionReport(0x55555555, 36, 1, 17, 0, 0x03040506, 0),
            $"When the SFU's own loss is the larger (36/256 = 1 of 7 since the last report, against the worst receiver's 10), the block carries its own: expected fraction 36, cumulative 1, extended highest 17; got {block?.ToString() ?? "nothing"}. See README §Receiver reports (RFC 3550 §A.3).");
    }

    [Fact(Timeout = 60_000)]
    [Trait("Milestone", Milestone)]
    public async Task Bad_datagrams_are_dropped_and_counted_and_forwarding_goes_on()
    {
        await using var router = new Router();
        var producer = router.CreateProducer();
        using var receiver = Udp.Bound();
        var consumer = router.CreateConsumer(producer, new ConsumerOptions(new IPEndPoint(IPAddress.Loopback, receiver.Port())));
        using var sender = Udp.Bound();
        var to = producer.LocalEndPoint;
        byte[][] bad =
        [
            [0x80, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0],                              // 11 bytes
            [0x40, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0x41],                     // version 1
            [0x83, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4],               // CC = 3, one CSRC
            [0x90, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xBE, 0xDE, 0, 9, 0x10],   // extension length past the end
            [0x80, 0xC9, 0, 9, 0, 0, 0, 1],                                       // RTCP RR whose length runs past the end
        ];
        foreach (var datagram in bad)
        {
            await sender.SendToAsync(datagram, SocketFlags.None, to);
        }

        await sender.SendToAsync(Rtp(1, 3000, 0x22222222, [0x41, 1, 2]), SocketFlags.None, to);
        var forwarded = await receiver.ReceiveAsync(Step);
        Assert.True(forwarded is not null && RtpPacket.Parse(forwarded).Payload.Span.SequenceEqual(new byte[] { 0x41, 1, 2 }),
            "After five bad datagrams a valid packet must still be forwarded: the receive loop catches RtpException, counts and goes on. See README §Forwarding.");
        Assert.True(await Udp.UntilAsync(() => producer.Stats.MalformedDropped == 5, Step) && producer.Stats.PacketsReceived == 1,
            $"Five malformed datagrams counted in MalformedDropped, one valid packet in PacketsReceived; got {producer.Stats}. See README §Statistics.");

        await new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)).Client.SendToAsync(new byte[] { 0x80, 0xC9, 0, 9 }, SocketFlags.None, consumer.LocalEndPoint);
        Assert.True(await Udp.UntilAsync(() => consumer.Stats.MalformedDropped == 1, Step), $"A bad RTCP datagram from a receiver is counted in the consumer's MalformedDropped; got {consumer.Stats}.");
    }

    [Fact(Timeout = 150_000)]
    [Trait("Milestone", Milestone)]
    public async Task Three_ffmpeg_receivers_each_record_every_frame_a_real_ffmpeg_sends()
    {
        string ffmpeg = RealTools.Ffmpeg();
        string ffprobe = RealTools.Ffprobe();
        string clip = Repo.TestData("clip-2s.flv");
        var ct = TestContext.Current.CancellationToken;
        var probe = await ToolRun.RunAsync(ffprobe, ["-v", "error", "-select_streams", "v:0", "-count_frames", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", clip], TimeSpan.FromSeconds(60), ct);
        int sentFrames = int.Parse(probe.StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture);

        string dir = Directory.CreateTempSubdirectory("lab08-").FullName;
        await using var router = new Router();
        var producer = router.CreateProducer();
        var receivers = new List<(Consumer Consumer, ToolRun Run, string Output)>();
        try
        {
            for (int k = 0; k < 3; k++)
            {
                int port = Udp.FreePortPair();
                var consumer = router.CreateConsumer(producer, new ConsumerOptions(new IPEndPoint(IPAddress.Loopback, port)));
                string sdp = Path.Combine(dir, $"consumer-{k}.sdp");
                await File.WriteAllTextAsync(sdp, consumer.Sdp, ct);
                string output = Path.Combine(dir, $"consumer-{k}.mkv");
                var run = ToolRun.Start(ffmpeg, ["-v", "warning", "-nostdin", "-y", "-protocol_whitelist", "file,udp,rtp", "-i", sdp, "-c", "copy", output]);
                receivers.Add((consumer, run, output));
                if (!await Udp.UntilAsync(() => !Udp.IsFree(port) || !run.IsRunning, TimeSpan.FromSeconds(30)) || !run.IsRunning)
                {
                    Assert.Fail($"ffmpeg receiver {k} did not start listening on the port of your SDP ({port}): {(await run.StopAsync()).ErrorTail()}\nYour SDP:\n{consumer.Sdp}\nSee README §SDP.");
                }
            }

            int p = producer.LocalEndPoint.Port;
            var send = await ToolRun.RunAsync(ffmpeg,
                ["-v", "error", "-nostdin", "-re", "-i", clip, "-an", "-c:v", "libx264", "-preset", "veryfast", "-bf", "0", "-g", "30", "-pix_fmt", "yuv420p", "-fps_mode", "passthrough",
                 "-f", "rtp", "-rtpflags", "send_bye", $"rtp://127.0.0.1:{p}?rtcpport={p}"], TimeSpan.FromSeconds(60), ct);
            Assert.True(send.ExitCode == 0 && !send.TimedOut, $"The ffmpeg sender failed: {send.ErrorTail()}");

            for (int k = 0; k < receivers.Count; k++)
            {
                var (consumer, run, output) = receivers[k];
                var result = await run.WaitAsync(TimeSpan.FromSeconds(30), ct);
                Assert.True(!result.TimedOut,
                    $"ffmpeg receiver {k} did not stop after the sender's BYE: your consumers must send their receivers an RTCP BYE (to the RTP port + 1) once the producer's sender says BYE. Consumer stats: {consumer.Stats}. See README §Forwarding.");
                var count = await ToolRun.RunAsync(ffprobe, ["-v", "error", "-select_streams", "v:0", "-count_frames", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", output], TimeSpan.FromSeconds(60), ct);
                Assert.True(count.StandardOutput.Trim() == sentFrames.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    $"Receiver {k} recorded {count.StandardOutput.Trim()} decodable frames (ffprobe -count_frames); the sender sent {sentFrames} (ffprobe on testdata/clip-2s.flv). Producer: {producer.Stats}. Consumer: {consumer.Stats}. Receiver exited with {result.ExitCode} and said: {result.ErrorTail()} {count.ErrorTail()}. See README §Forwarding.");
                Assert.True(consumer.Stats.PacketsSent == producer.Stats.PacketsReceived - producer.Stats.PaddingOnlyDropped,
                    $"Consumer {k} forwarded {consumer.Stats.PacketsSent} packets; the producer received {producer.Stats.PacketsReceived} ({producer.Stats.PaddingOnlyDropped} padding-only). See README §Statistics.");
            }
        }
        finally
        {
            foreach (var (_, run, _) in receivers)
            {
                await run.DisposeAsync();
            }

            Directory.Delete(dir, recursive: true);
        }
    }
}
