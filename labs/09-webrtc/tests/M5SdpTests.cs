using System.Net;
using Microsoft.Playwright;

namespace Lab09.WebRtc.Tests;

/// <summary>
/// M5: SDP offer/answer with a browser. The offer is Chromium's own (testdata/09-webrtc/chromium-offer.sdp, made by
/// make.sh); the answer is judged by Chromium itself: setRemoteDescription must accept it.
/// </summary>
public class M5SdpTests
{
    private const string Milestone = "M5 SDP offer and answer";

    private static SdpOffer ChromiumOffer() => SdpOffer.Parse(File.ReadAllText(Repo.TestData("09-webrtc/chromium-offer.sdp")));

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Chromium_offer_gives_bundle_mids_ice_and_fingerprint()
    {
        var offer = ChromiumOffer();
        Assert.True(offer.BundleMids.SequenceEqual(["0", "1"]), $"a=group:BUNDLE 0 1: expected mids 0, 1; got {string.Join(", ", offer.BundleMids)}. See README §SDP offer.");
        Assert.True(offer.Media.Count == 2, $"the offer has 2 m-lines (audio, video); got {offer.Media.Count}.");
        foreach (var m in offer.Media)
        {
            Assert.True(m.IceUfrag == "P+w0" && m.IcePwd == "5avUhho0PR0v+DnBJrBP/W6Z",
                $"m={m.Kind}: a=ice-ufrag P+w0 and a=ice-pwd 5avUhho0PR0v+DnBJrBP/W6Z; got {m.IceUfrag} and {m.IcePwd}. See README §SDP offer.");
            Assert.True(m.Fingerprint == "sha-256 99:9A:FF:2F:A4:8A:13:77:C0:CF:93:CB:BB:F6:F2:FC:34:8D:F2:9C:C4:88:12:A3:59:16:42:72:5E:27:E8:2B",
                $"m={m.Kind}: a=fingerprint's value (after the colon) expected \"sha-256 99:9A:…:2B\"; got \"{m.Fingerprint}\".");
            Assert.True(m.Setup == "actpass" && m.RtcpMux && m.Direction == "sendonly" && m.Port == 9 && m.Protocol == "UDP/TLS/RTP/SAVPF",
                $"m={m.Kind}: expected setup actpass, rtcp-mux, sendonly, port 9, UDP/TLS/RTP/SAVPF; got {m.Setup}, {m.RtcpMux}, {m.Direction}, {m.Port}, {m.Protocol}.");
        }

        var audio = offer.Media[0];
        Assert.True(audio.Kind == "audio" && audio.Mid == "0" && audio.PayloadTypes.SequenceEqual([111, 63, 9, 0, 8, 13, 110, 126]),
            $"m=audio: mid 0, payload types 111 63 9 0 8 13 110 126 in order; got mid {audio.Mid}, {string.Join(' ', audio.PayloadTypes)}.");
        var opus = audio.Codec(111);
        Assert.True(opus is { Name: "opus", ClockRate: 48000, Channels: 2 } && opus.Parameters["minptime"] == "10" && opus.Parameters["useinbandfec"] == "1",
            $"a=rtpmap:111 opus/48000/2 and a=fmtp:111 minptime=10;useinbandfec=1; got {opus}. See README §SDP offer.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Chromium_offer_gives_h264_rtx_feedback_extensions_and_simulcast()
    {
        var video = ChromiumOffer().Media[1];
        Assert.True(video.Kind == "video" && video.Mid == "1" && video.PayloadTypes.Count == 23 && video.PayloadTypes[0] == 96 && video.PayloadTypes[^1] == 120,
            $"m=video: mid 1, 23 payload types from 96 to 120; got mid {video.Mid}, {string.Join(' ', video.PayloadTypes)}.");
        var h264 = video.Codec(108);
        Assert.True(h264 is { Name: "H264", ClockRate: 90000 } && h264.Parameters["packetization-mode"] == "1" && h264.Parameters["profile-level-id"] == "42e01f"
            && h264.Parameters["level-asymmetry-allowed"] == "1",
            $"payload type 108: H264/90000 with packetization-mode=1, profile-level-id=42e01f, level-asymmetry-allowed=1; got {h264}. See README §SDP offer.");
        Assert.True(h264!.Feedback.SequenceEqual(["goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"]),
            $"a=rtcp-fb:108 lines in order: goog-remb, transport-cc, ccm fir, nack, nack pli; got {string.Join(", ", h264.Feedback)}.");
        var rtx = video.Codec(109);
        Assert.True(rtx is { Name: "rtx", ClockRate: 90000, AssociatedPayloadType: 108 }, $"payload type 109: rtx/90000 with apt=108; got {rtx}.");
        Assert.True(video.Extensions.TryGetValue(10, out var rid) && rid == "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id" && video.Extensions[4] == "urn:ietf:params:rtp-hdrext:sdes:mid",
            "a=extmap:10 is sdes:rtp-stream-id and a=extmap:4 sdes:mid. See README §SDP offer.");
        Assert.True(video.SendRids.SequenceEqual(["q", "h", "f"]) && video.Simulcast == "send q;h;f",
            $"a=rid:q/h/f send and a=simulcast:send q;h;f; got rids {string.Join(",", video.SendRids)} and simulcast \"{video.Simulcast}\".");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Codec_choice_and_directions_follow_the_handout()
    {
        var offer = ChromiumOffer();
        Assert.True(SdpAnswer.ChooseCodec(offer.Media[0])?.PayloadType == 111, "audio: opus/48000/2 is payload type 111 in Chromium's offer. See README §SDP answer.");
        Assert.True(SdpAnswer.ChooseCodec(offer.Media[1])?.PayloadType == 108,
            $"video: the first H264 with packetization-mode=1 and a 42e0 profile-level-id is 108 (102 is 42001f, 104 is mode 0); got {SdpAnswer.ChooseCodec(offer.Media[1])?.PayloadType}. See README §SDP answer.");
        var vp8Only = SdpOffer.Parse(string.Join("\r\n", File.ReadAllLines(Repo.TestData("09-webrtc/chromium-offer.sdp"))
            .Select(l => l.StartsWith("m=video", StringComparison.Ordinal) ? "m=video 9 UDP/TLS/RTP/SAVPF 96 97" : l)));
        Assert.True(SdpAnswer.ChooseCodec(vp8Only.Media[1]) is null, "an m-line with only VP8 and its rtx has no codec for this SFU: null. See README §SDP answer.");
        (string Offered, string Answered)[] directions = [("sendonly", "recvonly"), ("recvonly", "sendonly"), ("sendrecv", "recvonly"), ("inactive", "inactive")];
        foreach (var (offered, answered) in directions)
        {
            Assert.True(SdpAnswer.AnswerDirection(offered) == answered, $"an offered {offered} is answered {answered}; got {SdpAnswer.AnswerDirection(offered)}. See README §SDP answer.");
        }
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    [InlineData("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\nthis is not sdp\r\n", 3, "line")]
    [InlineData("v=0\r\ns=-\r\nt=0 0\r\n", 3, "m=")]
    [InlineData("v=0\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\na=fingerprint:sha-256 00\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:0\r\n", 4, "a=ice-ufrag")]
    [InlineData("v=0\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\na=fingerprint:sha-256 00\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n", 5, "a=mid")]
    [InlineData("v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF H264\r\n", 2, "m=")]
    [InlineData("v=0\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\na=fingerprint:sha-256 00\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:0\r\na=rtpmap:96 H264\r\n", 7, "a=rtpmap")]
    public void Bad_offers_throw_WebRtcException_with_the_line(string sdp, int line, string field)
    {
        var error = Record.Exception(() => SdpOffer.Parse(sdp));
        Assert.True(error is WebRtcException { Protocol: "SDP" } e && e.Offset == line && e.Field == field,
            $"expected WebRtcException(\"SDP\", \"{field}\") at line {line}; got {error?.GetType().Name} {(error as WebRtcException)?.Field} at {(error as WebRtcException)?.Offset}: {error?.Message}. See README §SDP offer.");
    }

    [Fact(Timeout = 120_000)]
    [Trait("Milestone", Milestone)]
    public async Task Chromium_accepts_the_answer()
    {
        string chromium = RealTools.Find("chromium") ?? RealTools.Find("chromium-browser") ?? RealTools.Find("google-chrome")
            ?? throw new Xunit.Sdk.XunitException($"This test gives your answer to a real browser, and no Chromium is on your PATH. Install it:\n  {RealTools.InstallCommand("chromium")}");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
        var page = await browser.NewPageAsync();
        await page.GotoAsync("about:blank");
        string offerSdp = await page.EvaluateAsync<string>("""
            async () => {
              window.pc = new RTCPeerConnection();
              pc.addTransceiver('audio', { direction: 'sendonly' });
              pc.addTransceiver('video', { direction: 'sendonly', sendEncodings: [
                { rid: 'q', scaleResolutionDownBy: 4 }, { rid: 'h', scaleResolutionDownBy: 2 }, { rid: 'f' } ] });
              pc.addTransceiver('video', { direction: 'recvonly' });
              const offer = await pc.createOffer();
              await pc.setLocalDescription(offer);
              return offer.sdp;
            }
            """);

        var certificate = DtlsCertificate.CreateSelfSigned();
        var options = new SdpAnswerOptions("sfu9", "workbook-lab09-ice-password", certificate.Fingerprint, new IPEndPoint(IPAddress.Loopback, 50009));
        string answer = SdpAnswer.Write(SdpOffer.Parse(offerSdp), options);
        string verdict = await page.EvaluateAsync<string>("""
            async sdp => {
              try {
                await pc.setRemoteDescription({ type: 'answer', sdp });
                return 'ok ' + pc.getTransceivers().map(t => t.mid + ':' + t.currentDirection).join(' ');
              } catch (e) { return 'rejected: ' + e.message; }
            }
            """, answer);
        Assert.True(verdict == "ok 0:sendonly 1:sendonly 2:recvonly",
            $"Chromium's setRemoteDescription said \"{verdict}\" (expected ok, then mids 0 and 1 sending, 2 receiving).\nYour answer:\n{answer}\nThe offer:\n{offerSdp}\nSee README §SDP answer.");
        string remote = await page.EvaluateAsync<string>("() => pc.remoteDescription.sdp");
        Assert.True(remote.Contains("a=ice-lite", StringComparison.Ordinal) && remote.Contains("a=candidate:1 1 udp 2130706431 127.0.0.1 50009 typ host", StringComparison.Ordinal),
            $"Chromium's remote description must keep a=ice-lite and the host candidate 127.0.0.1:50009:\n{remote}");
    }
}
