using System.Buffers.Binary;

namespace Lab09.WebRtc.Tests;

/// <summary>
/// M3 against a real SRTP sender: ffmpeg's srtp protocol (libavformat/srtp.c) protects RTP and RTCP with
/// AES_CM_128_HMAC_SHA1_80; your context must authenticate and decrypt every packet to exactly what ffmpeg sends as
/// plain RTP from the same input, across the sequence number's wrap.
/// </summary>
public class M3FfmpegSrtpTests
{
    [Fact(Timeout = 180_000)]
    [Trait("Milestone", M3SrtpTests.Milestone)]
    public async Task Ffmpeg_srtp_decrypts_to_ffmpeg_plain_rtp_across_the_rollover()
    {
        var ct = TestContext.Current.CancellationToken;
        var plain = await FfmpegRtp.CaptureAsync(srtp: false, ct);
        var secured = await FfmpegRtp.CaptureAsync(srtp: true, ct);
        var plainRtp = plain.Where(d => !FfmpegRtp.IsRtcp(d)).ToList();
        var securedRtp = secured.Where(d => !FfmpegRtp.IsRtcp(d)).ToList();
        Assert.True(plainRtp.Count > 40 && securedRtp.Count == plainRtp.Count,
            $"ffmpeg sent {plainRtp.Count} plain and {securedRtp.Count} SRTP packets; expected the same number, over 40 (the oracle itself failed).");

        var context = new SrtpContext(FfmpegRtp.MasterKeyAndSalt.AsSpan(0, 16), FfmpegRtp.MasterKeyAndSalt.AsSpan(16, 14));
        for (int i = 0; i < securedRtp.Count; i++)
        {
            ushort sequence = BinaryPrimitives.ReadUInt16BigEndian(securedRtp[i].AsSpan(2));
            var rtp = context.UnprotectRtp(securedRtp[i]);
            Assert.True(rtp is not null,
                $"ffmpeg's SRTP packet {i} (sequence {sequence}) was dropped: {context.AuthenticationFailures} auth failures, {context.ReplayedPackets} replays, {context.MalformedPackets} malformed. " +
                (sequence < 65500 ? "It comes after the sequence number wrapped: the ROC in the tag must be 1 (README §Rollover). " : "") + "See README §SRTP.");
            HexDiff.AssertEqual(plainRtp[i].AsSpan(0, 4), rtp.AsSpan(0, 4), $"RTP packet {i}: V/P/X/CC, M/PT and sequence number", "README §SRTP");
            HexDiff.AssertEqual(plainRtp[i].AsSpan(8), rtp.AsSpan(8), $"RTP packet {i} (sequence {sequence}): SSRC and the decrypted payload against ffmpeg's plain RTP", "README §SRTP");
        }

        Assert.True(context.RolloverCounter(FfmpegRtp.Ssrc) == 1, $"after the sequence numbers 65500 … 65535, 0 … the rollover counter is 1; got {context.RolloverCounter(FfmpegRtp.Ssrc)}. See README §Rollover.");
    }

    [Fact(Timeout = 180_000)]
    [Trait("Milestone", M3SrtpTests.Milestone)]
    public async Task Ffmpeg_srtcp_sender_reports_authenticate_and_decrypt()
    {
        var ct = TestContext.Current.CancellationToken;
        var plain = (await FfmpegRtp.CaptureAsync(srtp: false, ct)).Where(FfmpegRtp.IsRtcp).ToList();
        var secured = (await FfmpegRtp.CaptureAsync(srtp: true, ct)).Where(FfmpegRtp.IsRtcp).ToList();
        Assert.True(secured.Count >= 1 && secured.Count == plain.Count, $"ffmpeg sent {plain.Count} plain and {secured.Count} SRTCP packets (the oracle itself failed).");

        var context = new SrtpContext(FfmpegRtp.MasterKeyAndSalt.AsSpan(0, 16), FfmpegRtp.MasterKeyAndSalt.AsSpan(16, 14));
        for (int i = 0; i < secured.Count; i++)
        {
            var rtcp = context.UnprotectRtcp(secured[i]);
            Assert.True(rtcp is not null, $"ffmpeg's SRTCP packet {i} was dropped ({context.AuthenticationFailures} auth failures, {context.ReplayedPackets} replays): SRTCP uses labels 3, 4, 5 and its tag covers E and the index. See README §SRTCP.");
            Assert.True(rtcp.Length == plain[i].Length, $"SRTCP packet {i}: expected {plain[i].Length} bytes of RTCP like ffmpeg's plain run, got {rtcp.Length}.");
            HexDiff.AssertEqual(plain[i].AsSpan(0, 8), rtcp.AsSpan(0, 8), $"RTCP packet {i}: header and SSRC", "README §SRTCP");
            HexDiff.AssertEqual(plain[i].AsSpan(20), rtcp.AsSpan(20), $"RTCP packet {i} after the NTP and RTP timestamps (counts, then SDES/BYE): decrypted against ffmpeg's plain run", "README §SRTCP");
        }

        var replay = context.UnprotectRtcp(secured[0]);
        Assert.True(replay is null && context.ReplayedPackets == 1, "the first SRTCP packet a second time is a replay: dropped and counted. See README §Replay.");
    }
}
