using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Lab08.Sfu.Tests;

/// <summary>M5: simulcast — one producer, several encodings; each consumer gets the layer its limit allows, switched at a keyframe.</summary>
public class M5SimulcastTests
{
    private const string Milestone = "M5 simulcast";

    private static readonly TimeSpan Step = TimeSpan.FromSeconds(10);

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_layer_is_the_highest_encoding_whose_ceiling_fits_the_limit()
    {
        SimulcastEncoding[] encodings = [new(1, 150_000), new(2, 500_000), new(3, 1_500_000)];
        (long Limit, int Layer)[] cases = [(10_000_000, 2), (1_500_000, 2), (1_499_999, 1), (500_000, 1), (200_000, 0), (150_000, 0), (1, 0)];
        foreach (var (limit, layer) in cases)
        {
            int got = Consumer.LayerFor(encodings, limit);
            Assert.True(got == layer, $"LayerFor(150k/500k/1.5M encodings, {limit} bit/s): expected layer {layer}, got {got}. See README §Simulcast.");
        }
    }

    [Fact(Timeout = 60_000)]
    [Trait("Milestone", Milestone)]
    public async Task A_switch_waits_for_a_keyframe_of_the_new_layer_and_the_receiver_sees_no_jump()
    {
        var clock = new ManualClock();
        await using var router = new Router(new RouterOptions { Clock = clock });
        var producer = router.CreateProducer(new ProducerOptions { Encodings = [new(0xA0, 200_000), new(0xB0, 1_000_000)] });
        using var receiver = Udp.Bound();
        using var sender = Udp.Bound();
        var consumer = router.CreateConsumer(producer, new ConsumerOptions(new IPEndPoint(IPAddress.Loopback, receiver.Port())) { Ssrc = 0xC0, InitialSequenceNumber = 65534, TimestampOffset = 0 });
        Assert.True(consumer.TargetLayer == 1 && consumer.CurrentLayer == -1, $"No limit: the target is the highest layer (1), and nothing is current before its first keyframe; got target {consumer.TargetLayer}, current {consumer.CurrentLayer}. See README §Simulcast.");

        var to = producer.LocalEndPoint;
        ushort seqA = 5000, seqB = 100;
        uint tsA = 777_000, tsB = 1000;
        async Task Send(bool high, byte nal, byte mark)
        {
            var packet = high ? M3RouterTests.Rtp(seqB++, tsB, 0xB0, [nal, mark], marker: true) : M3RouterTests.Rtp(seqA++, tsA, 0xA0, [nal, mark], marker: true);
            await sender.SendToAsync(packet, SocketFlags.None, to);
        }

        async Task<RtpPacket> Next(string what)
        {
            var datagram = await receiver.ReceiveAsync(Step);
            Assert.True(datagram is not null, $"Expected {what} at the receiver; nothing came. See README §Simulcast.");
            return RtpPacket.Parse(datagram!);
        }

        await Send(true, 0x41, 1);  // high, P-frame: before any keyframe of the target → not forwarded
        await Send(false, 0x65, 2); // low keyframe: not the target → not forwarded
        await Send(true, 0x65, 3);  // high keyframe: the first layer starts here
        var first = await Next("the high layer's keyframe (payload 65 03)");
        Assert.True(first.Payload.Span[1] == 3 && first.SequenceNumber == 65534 && first.Timestamp == 1000 && first.Ssrc == 0xC0,
            $"The first packet forwarded is the target layer's first keyframe (65 03), as number 65534, timestamp 1000 + 0, SSRC c0; got payload {Convert.ToHexString(first.Payload.Span)}, number {first.SequenceNumber}, timestamp {first.Timestamp}, SSRC {first.Ssrc:x}. See README §Simulcast.");

        clock.Advance(TimeSpan.FromMilliseconds(40));
        tsA += 3600;
        tsB += 3600;
        await Send(true, 0x41, 4);
        await Send(false, 0x41, 5); // the low layer is not forwarded
        var second = await Next("the high layer's next frame (41 04)");
        Assert.True(second.Payload.Span[1] == 4 && second.SequenceNumber == 65535 && second.Timestamp == 4600, $"Next: 41 04 as 65535 at 4600; got {Convert.ToHexString(second.Payload.Span)} as {second.SequenceNumber} at {second.Timestamp}.");

        consumer.SetMaxBitrate(300_000);
        Assert.True(consumer.TargetLayer == 0 && consumer.CurrentLayer == 1 && consumer.MaxBitrate == 300_000, $"A 300 kbit/s limit (MaxBitrate 300000) targets layer 0; the high layer stays current until a keyframe of layer 0; got target {consumer.TargetLayer}, current {consumer.CurrentLayer}, MaxBitrate {consumer.MaxBitrate}.");
        var rtcp = await sender.ReceiveAsync(Step);
        var plis = rtcp is null ? [] : RtcpCompound.Parse(rtcp).OfType<PictureLossIndication>().Select(p => p.MediaSsrc).ToList();
        Assert.True(plis.SequenceEqual([0xA0u]) && producer.Stats.KeyframeRequestsSent == 1,
            $"Lowering the limit asks the sender for a keyframe of the target encoding only: one PLI about a0 (RFC 4585 §6.3.1); got PLIs about [{string.Join(", ", plis.Select(p => p.ToString("x", CultureInfo.InvariantCulture)))}], {producer.Stats.KeyframeRequestsSent} sent. See README §Simulcast.");

        clock.Advance(TimeSpan.FromMilliseconds(40));
        tsA += 3600;
        tsB += 3600;
        await Send(false, 0x41, 6); // low P-frame: not yet
        await Send(true, 0x41, 7);  // high goes on until the switch
        var third = await Next("the high layer's frame while waiting for the low keyframe (41 07)");
        Assert.True(third.Payload.Span[1] == 7 && third.SequenceNumber == 0, $"Until a keyframe of the new layer comes, the old layer goes on (41 07 as number 0); got {Convert.ToHexString(third.Payload.Span)} as {third.SequenceNumber}.");

        clock.Advance(TimeSpan.FromMilliseconds(40));
        tsA += 3600;
        tsB += 3600;
        await Send(false, 0x65, 8); // low keyframe: the switch
        await Send(true, 0x41, 9);  // high is no longer forwarded
        await Send(false, 0x41, 10);
        var switched = await Next("the low layer's keyframe (65 08)");
        var after = await Next("the low layer's next packet (41 0a)");
        Assert.True(switched.Payload.Span[1] == 8 && after.Payload.Span[1] == 10,
            $"After the switch: the low keyframe 65 08, then the low 41 0a (the high 41 09 is dropped); got {Convert.ToHexString(switched.Payload.Span)}, {Convert.ToHexString(after.Payload.Span)}. See README §Simulcast.");
        Assert.True(switched.SequenceNumber == 1 && after.SequenceNumber == 2,
            $"The numbers go on from the last one sent (0): 1, 2 — whatever the low layer's own numbers (5003, 5004); got {switched.SequenceNumber}, {after.SequenceNumber}. See README §Simulcast.");
        Assert.True(switched.Timestamp == third.Timestamp + 3600 && after.Timestamp == switched.Timestamp && switched.Ssrc == 0xC0,
            $"The timestamps go on from the last one sent plus the 40 ms that passed (3600 at 90 kHz): {third.Timestamp + 3600}, and the next packet (same frame time) the same; got {switched.Timestamp}, {after.Timestamp}. See README §Simulcast.");
        Assert.True(consumer.CurrentLayer == 0 && consumer.Stats.LayerSwitches == 2, $"Current layer 0 after two switches (the first start counts); got {consumer.CurrentLayer}, {consumer.Stats.LayerSwitches}.");

        // Straight back up with no time passing on the router's clock — as when the other encoder's keyframe of the same
        // instant arrives right behind: the new layer still starts one millisecond (90 ticks) after the last frame sent.
        consumer.SetMaxBitrate(2_000_000);
        await Send(true, 0x65, 11);
        var back = await Next("the high layer's keyframe (65 0b)");
        Assert.True(back.Payload.Span[1] == 11 && back.SequenceNumber == 3 && back.Timestamp == after.Timestamp + 90,
            $"A switch with no time elapsed still moves the timestamp on by one millisecond of the clock (90 at 90 kHz), so a receiver that keeps milliseconds (ffmpeg) never sees two frames at the same time: expected 65 0b as 3 at {after.Timestamp + 90}; got {Convert.ToHexString(back.Payload.Span)} as {back.SequenceNumber} at {back.Timestamp}. See README §Simulcast.");
    }

    [Fact(Timeout = 60_000)]
    [Trait("Milestone", Milestone)]
    public async Task A_nack_across_a_switch_is_answered_from_each_encodings_own_cache_as_first_sent()
    {
        var clock = new ManualClock();
        await using var router = new Router(new RouterOptions { Clock = clock });
        var producer = router.CreateProducer(new ProducerOptions { Encodings = [new(0xA0, 200_000), new(0xB0, 1_000_000)], EnableNack = true });
        using var receiver = Udp.Bound();
        using var sender = Udp.Bound();
        var consumer = router.CreateConsumer(producer, new ConsumerOptions(new IPEndPoint(IPAddress.Loopback, receiver.Port())) { Ssrc = 0xC0, InitialSequenceNumber = 100, TimestampOffset = 0 });

        async Task<byte[]> Forwarded(byte[] packet, string what)
        {
            await sender.SendToAsync(packet, SocketFlags.None, producer.LocalEndPoint);
            var datagram = await receiver.ReceiveAsync(Step);
            Assert.True(datagram is not null, $"Expected {what} at the receiver; nothing came. See README §Simulcast.");
            return datagram!;
        }

        // The high encoding (b0) first; both encodings number from 7, so only the layer tells them apart.
        var highKey = await Forwarded(M3RouterTests.Rtp(7, 1000, 0xB0, [0x65, 1], marker: true), "b0's keyframe (65 01)");
        var highP = await Forwarded(M3RouterTests.Rtp(8, 4600, 0xB0, [0x41, 2], marker: true), "b0's next frame (41 02)");
        consumer.SetMaxBitrate(200_000); // down to a0, at its next keyframe
        clock.Advance(TimeSpan.FromMilliseconds(40));
        var highLast = await Forwarded(M3RouterTests.Rtp(9, 8200, 0xB0, [0x41, 3], marker: true), "b0's 41 03 (b0 stays current until a0's keyframe)");
        var lowKey = await Forwarded(M3RouterTests.Rtp(7, 500_000, 0xA0, [0x65, 4], marker: true), "a0's keyframe (65 04) after the switch");
        var lowP = await Forwarded(M3RouterTests.Rtp(8, 503_600, 0xA0, [0x41, 5], marker: true), "a0's next frame (41 05)");

        // The receiver lost b0's 41 02 (before the switch) and a0's 65 04 (after it): consumer numbers 101 and 103.
        byte[] nack = [0x81, 205, 0, 3, 0, 0, 0x10, 0x01, 0, 0, 0, 0xC0, 0, 101, 0, 0b10];
        await receiver.SendToAsync(nack, SocketFlags.None, consumer.LocalEndPoint);
        var again = new List<byte[]>();
        for (int k = 0; k < 2; k++)
        {
            var datagram = await receiver.ReceiveAsync(Step);
            Assert.True(datagram is not null,
                $"A NACK for 101 and 103 (RFC 4585 §6.2.1: PID 101, BLP bit 1) must bring both back from the caches; got {again.Count} packets. Producer: {producer.Stats}. See README §Simulcast, §Retransmission.");
            again.Add(datagram!);
        }

        again.Sort((x, y) => x[3].CompareTo(y[3]));
        HexDiff.AssertEqual(highP, again[0], "the retransmission of 101: b0's packet 8, sent before the switch, from b0's own cache (a0 has a packet 8 too), exactly as first sent — its timestamp too, though the switch has moved the offset since", "README §Simulcast, §Retransmission");
        HexDiff.AssertEqual(lowKey, again[1], "the retransmission of 103: a0's packet 7, from a0's own cache (b0 has a packet 7 too), exactly as first sent", "README §Simulcast, §Retransmission");
        Assert.True(await Udp.UntilAsync(() => producer.Stats.Retransmissions == 2, Step) && producer.Stats.NackedNotInCache == 0,
            $"Two retransmissions, nothing missing from the caches; got {producer.Stats}. See README §Statistics.");
        Assert.True(RtpPacket.Parse(highKey).SequenceNumber == 100 && RtpPacket.Parse(highLast).SequenceNumber == 102 && RtpPacket.Parse(lowP).SequenceNumber == 104,
            "The consumer numbered the five packets 100 to 104 across the switch (README §Simulcast).");
    }

    [Fact(Timeout = 60_000)]
    [Trait("Milestone", Milestone)]
    public async Task Keyframe_requests_are_limited_per_encoding_not_per_producer()
    {
        var clock = new ManualClock();
        await using var router = new Router(new RouterOptions { Clock = clock, KeyframeRequestInterval = TimeSpan.FromSeconds(1) });
        var producer = router.CreateProducer(new ProducerOptions { Encodings = [new(0xA0, 150_000), new(0xB0, 500_000), new(0xC0, 1_500_000)] });
        using var sender = Udp.Bound();
        var receivers = Enumerable.Range(0, 3).Select(_ => Udp.Bound()).ToArray();
        try
        {
            var consumers = receivers.Select((r, k) => router.CreateConsumer(producer, new ConsumerOptions(new IPEndPoint(IPAddress.Loopback, r.Port())) { Ssrc = 0xD0u + (uint)k })).ToArray();
            await sender.SendToAsync(M3RouterTests.Rtp(1, 1000, 0xC0, [0x65, 1]), SocketFlags.None, producer.LocalEndPoint); // the sender is known
            Assert.True(await Udp.UntilAsync(() => producer.SenderEndPoint is not null, Step), $"The producer learns the sender from its first packet; got {producer.Stats}.");

            // At one instant: consumer 0 moves to layer 0, consumer 1 to layer 1, consumer 2 to layer 0 as well.
            consumers[0].SetMaxBitrate(200_000);
            consumers[1].SetMaxBitrate(600_000);
            consumers[2].SetMaxBitrate(100_000);
            var media = new List<uint>();
            for (int k = 0; k < 2; k++)
            {
                var rtcp = await sender.ReceiveAsync(Step);
                Assert.True(rtcp is not null, $"Two PLIs expected at the sender (about a0 and b0); got [{string.Join(", ", media.Select(m => m.ToString("x", CultureInfo.InvariantCulture)))}]. See README §Keyframe requests.");
                media.AddRange(RtcpCompound.Parse(rtcp!).OfType<PictureLossIndication>().Select(p => p.MediaSsrc));
            }

            Assert.True(media.Order().SequenceEqual([0xA0u, 0xB0u]),
                $"Each switch asks for a keyframe of its target encoding only (RFC 4585 §6.3.1, media SSRC = that encoding's): expected PLIs about a0 and b0, none about c0; got [{string.Join(", ", media.Select(m => m.ToString("x", CultureInfo.InvariantCulture)))}]. See README §Keyframe requests.");
            Assert.True(producer.Stats.KeyframeRequestsSent == 2 && producer.Stats.KeyframeRequestsMerged == 1,
                $"The limit is per SSRC: b0's request is not merged into a0's; consumer 2's request for a0 within the second is. Expected sent 2, merged 1; got sent {producer.Stats.KeyframeRequestsSent}, merged {producer.Stats.KeyframeRequestsMerged}. See README §Keyframe requests.");

            // Consumer 1's receiver sends a PLI (about consumer 1's SSRC) half a second later: b0 was asked for 0.5 s ago → merged.
            clock.Advance(TimeSpan.FromMilliseconds(500));
            byte[] pli = [0x81, 206, 0, 2, 0, 0, 0x10, 0x01, 0, 0, 0, 0xD1];
            await receivers[1].SendToAsync(pli, SocketFlags.None, consumers[1].LocalEndPoint);
            Assert.True(await Udp.UntilAsync(() => producer.Stats.KeyframeRequestsMerged == 2, Step) && producer.Stats.KeyframeRequestsSent == 2,
                $"A receiver's PLI asks for its consumer's target encoding (b0), requested 0.5 s ago: merged. Expected sent 2, merged 2; got {producer.Stats}.");

            // A second after the first requests, the same PLI goes through, about b0 alone.
            clock.Advance(TimeSpan.FromMilliseconds(500));
            await receivers[1].SendToAsync(pli, SocketFlags.None, consumers[1].LocalEndPoint);
            var again = await sender.ReceiveAsync(Step);
            var about = again is null ? [] : RtcpCompound.Parse(again).OfType<PictureLossIndication>().Select(p => p.MediaSsrc).ToList();
            Assert.True(about.SequenceEqual([0xB0u]) && await Udp.UntilAsync(() => producer.Stats.KeyframeRequestsSent == 3, Step),
                $"One interval later the receiver's PLI reaches the sender as one PLI about b0; got [{string.Join(", ", about.Select(m => m.ToString("x", CultureInfo.InvariantCulture)))}], {producer.Stats}. See README §Keyframe requests.");
        }
        finally
        {
            foreach (var receiver in receivers)
            {
                receiver.Dispose();
            }
        }
    }

    [Fact(Timeout = 180_000)]
    [Trait("Milestone", Milestone)]
    public async Task An_ffmpeg_recording_decodes_across_a_switch_to_a_lower_resolution()
    {
        string ffmpeg = RealTools.Ffmpeg();
        string ffprobe = RealTools.Ffprobe();
        string clip = Repo.TestData("clip-2s.flv");
        var ct = TestContext.Current.CancellationToken;
        string dir = Directory.CreateTempSubdirectory("lab08-sim-").FullName;
        (uint Ssrc, int Width, int Height)[] layers = [(1001, 160, 90), (1002, 320, 180), (1003, 640, 360)];
        await using var router = new Router();
        var producer = router.CreateProducer(new ProducerOptions { Encodings = [new(1001, 150_000), new(1002, 500_000), new(1003, 1_500_000)] });
        int port = Udp.FreePortPair();
        var consumer = router.CreateConsumer(producer, new ConsumerOptions(new IPEndPoint(IPAddress.Loopback, port)));
        string sdp = Path.Combine(dir, "consumer.sdp");
        await File.WriteAllTextAsync(sdp, consumer.Sdp, ct);
        string output = Path.Combine(dir, "consumer.mkv");
        await using var receiver = ToolRun.Start(ffmpeg, ["-v", "warning", "-nostdin", "-y", "-protocol_whitelist", "file,udp,rtp", "-i", sdp, "-c", "copy", output]);
        try
        {
            if (!await Udp.UntilAsync(() => !Udp.IsFree(port) || !receiver.IsRunning, TimeSpan.FromSeconds(30)) || !receiver.IsRunning)
            {
                Assert.Fail($"The ffmpeg receiver did not start on port {port}: {(await receiver.StopAsync()).ErrorTail()}");
            }

            // One ffmpeg, three encodings of the same frames with the same GOP (a keyframe every 10 frames), one SSRC each.
            int p = producer.LocalEndPoint.Port;
            var arguments = new List<string> { "-v", "error", "-nostdin", "-re", "-stream_loop", "1", "-i", clip, "-an",
                "-filter_complex", "[0:v]split=3[a][b][c];[a]scale=160:90[l0];[b]scale=320:180[l1];[c]scale=640:360[l2]" };
            for (int i = 0; i < layers.Length; i++)
            {
                arguments.AddRange(["-map", $"[l{i}]", "-c:v", "libx264", "-preset", "veryfast", "-bf", "0", "-g", "10", "-keyint_min", "10", "-sc_threshold", "0",
                    "-pix_fmt", "yuv420p", "-fps_mode", "passthrough", "-f", "rtp", "-ssrc", layers[i].Ssrc.ToString(CultureInfo.InvariantCulture), "-rtpflags", "send_bye",
                    $"rtp://127.0.0.1:{p}?rtcpport={p}"]);
            }

            await using var sender = ToolRun.Start(ffmpeg, arguments);
            Assert.True(await Udp.UntilAsync(() => consumer.Stats.PacketsSent > 150 || !sender.IsRunning, TimeSpan.FromSeconds(60)) && sender.IsRunning,
                $"The consumer should forward the 640×360 layer while ffmpeg sends; it sent {consumer.Stats.PacketsSent} packets. Producer: {producer.Stats}. {(sender.IsRunning ? "" : (await sender.StopAsync()).ErrorTail())}");
            consumer.SetMaxBitrate(200_000);
            var sent = await sender.WaitAsync(TimeSpan.FromSeconds(60), ct);
            Assert.True(sent.ExitCode == 0 && !sent.TimedOut, $"The ffmpeg sender failed: {sent.ErrorTail()}");
            var received = await receiver.WaitAsync(TimeSpan.FromSeconds(30), ct);
            Assert.True(!received.TimedOut, $"The receiver did not stop after the sender's BYEs (a simulcast producer closes when every encoding has said BYE). Consumer: {consumer.Stats}.");
            Assert.True(consumer.CurrentLayer == 0, $"After SetMaxBitrate(200 000) the consumer must end on layer 0 (160×90, 150 kbit/s); it is on {consumer.CurrentLayer}. See README §Simulcast.");

            var frames = await ToolRun.RunAsync(ffprobe, ["-v", "error", "-select_streams", "v:0", "-show_entries", "frame=width,height", "-of", "csv=p=0", output], TimeSpan.FromSeconds(60), ct);
            var sizes = frames.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim().TrimEnd(',')).ToList();
            Assert.True(sizes.Count > 20 && sizes[0] == "640,360" && sizes[^1] == "160,90",
                $"The recording decodes at 640×360 first and at 160×90 after the switch; ffprobe says {sizes.Count} frames, first {sizes.FirstOrDefault()}, last {sizes.LastOrDefault()}. {frames.ErrorTail()} See README §Simulcast.");
            int switchAt = sizes.FindIndex(s => s != "640,360");
            Assert.True(sizes.Skip(switchAt).All(s => s == "160,90"), $"One switch, from 640×360 to 160×90: got {string.Join(" ", sizes.Distinct())}.");
            var decode = await ToolRun.RunAsync(ffmpeg, ["-v", "error", "-nostdin", "-i", output, "-f", "null", "-"], TimeSpan.FromSeconds(60), ct);
            Assert.True(decode.ExitCode == 0 && decode.StandardError.Trim().Length == 0,
                $"ffmpeg must decode the whole recording, across the switch, without an error (the switch happens at a keyframe of the new layer, with its SPS and PPS); it said: {decode.ErrorTail()}. See README §Simulcast.");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
