using System.Net;

namespace Lab09.WebRtc.Tests;

/// <summary>
/// M5: the answer to Chromium's committed offer (testdata/09-webrtc/chromium-offer.sdp), line by line as README §SDP answer
/// lays it out. The expected lines are written here from the handout's template; SDP fixes the order of v, o, s, t and of
/// m, c, a inside a section (RFC 8866 §5), not the order of the a= lines, so those are compared as a set.
/// </summary>
public class M5SdpAnswerTests
{
    private const string Milestone = "M5 SDP offer and answer";
    private const string Fingerprint = "sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF";

    private static readonly SdpAnswerOptions Options = new("sfu9", "workbook-lab09-ice-password", Fingerprint, new IPEndPoint(IPAddress.Loopback, 50009), SessionId: 7);

    private static string[] OfferLines() => File.ReadAllLines(Repo.TestData("09-webrtc/chromium-offer.sdp"));

    private static string[] Common(string mid, string direction) =>
    [
        "c=IN IP4 127.0.0.1", $"a=mid:{mid}", $"a={direction}", "a=ice-ufrag:sfu9", "a=ice-pwd:workbook-lab09-ice-password",
        $"a=fingerprint:{Fingerprint}", "a=setup:passive", "a=rtcp-mux",
        "a=candidate:1 1 udp 2130706431 127.0.0.1 50009 typ host", "a=end-of-candidates",
    ];

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Answer_to_Chromium_offer_has_the_lines_of_the_handout()
    {
        string answer = SdpAnswer.Write(SdpOffer.Parse(string.Join("\r\n", OfferLines()) + "\r\n"), Options);
        var sections = Sections(answer);

        AssertSection(sections[0], "the session", "v=0", ["o=- 7 1 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=ice-lite", "a=group:BUNDLE 0 1"]);
        AssertSection(sections[1], "the audio m-line (opus 111, no rtx offered for it)", "m=audio 50009 UDP/TLS/RTP/SAVPF 111",
        [
            .. Common("0", "recvonly"),
            "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
            "a=rtpmap:111 opus/48000/2", "a=fmtp:111 minptime=10;useinbandfec=1",
        ]);
        AssertSection(sections[2], "the video m-line (H264 108 and its rtx 109, three simulcast rids)", "m=video 50009 UDP/TLS/RTP/SAVPF 108 109",
        [
            .. Common("1", "recvonly"),
            "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
            "a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id",
            "a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id",
            "a=rtpmap:108 H264/90000", "a=rtcp-fb:108 nack", "a=rtcp-fb:108 nack pli",
            "a=fmtp:108 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
            "a=rtpmap:109 rtx/90000", "a=fmtp:109 apt=108",
            "a=rid:q recv", "a=rid:h recv", "a=rid:f recv", "a=simulcast:recv q;h;f",
        ]);
        Assert.True(sections.Count == 3, $"the answer has the session and one section per offered m-line (2); got {sections.Count - 1} m-lines.\n{answer}");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_sendrecv_offer_over_IPv6_keeps_simulcast_and_writes_only_the_parameters_offered()
    {
        // The committed offer made sendrecv, with no a=fmtp for opus (but a=rtcp-fb:111 nack: nack is answered for video only)
        // and a parameter without a value for H264 108;
        // the SFU's candidate is IPv6.
        string offer = string.Join("\r\n", OfferLines()
            .Where(l => !l.StartsWith("a=fmtp:111 ", StringComparison.Ordinal))
            .Select(l => l == "a=sendonly" ? "a=sendrecv" : l.StartsWith("a=fmtp:108 ", StringComparison.Ordinal) ? l + ";flag"
                : l == "a=rtcp-fb:111 transport-cc" ? l + "\r\na=rtcp-fb:111 nack" : l)) + "\r\n";
        var options = Options with { Candidate = new IPEndPoint(IPAddress.IPv6Loopback, 50009) };
        var sections = Sections(SdpAnswer.Write(SdpOffer.Parse(offer), options));
        string[] Ipv6(string mid) =>
        [
            "c=IN IP6 ::1", $"a=mid:{mid}", "a=recvonly", "a=ice-ufrag:sfu9", "a=ice-pwd:workbook-lab09-ice-password",
            $"a=fingerprint:{Fingerprint}", "a=setup:passive", "a=rtcp-mux",
            "a=candidate:1 1 udp 2130706431 ::1 50009 typ host", "a=end-of-candidates",
        ];
        AssertSection(sections[0], "the session over IPv6", "v=0", ["o=- 7 1 IN IP6 ::1", "s=-", "t=0 0", "a=ice-lite", "a=group:BUNDLE 0 1"]);
        AssertSection(sections[1], "audio offered sendrecv (answered recvonly), opus without a=fmtp (none written), no a=rtcp-fb for audio", "m=audio 50009 UDP/TLS/RTP/SAVPF 111",
            [.. Ipv6("0"), "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid", "a=rtpmap:111 opus/48000/2"]);
        AssertSection(sections[2], "video offered sendrecv with three rids: simulcast received all the same", "m=video 50009 UDP/TLS/RTP/SAVPF 108 109",
        [
            .. Ipv6("1"),
            "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
            "a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id",
            "a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id",
            "a=rtpmap:108 H264/90000", "a=rtcp-fb:108 nack", "a=rtcp-fb:108 nack pli",
            "a=fmtp:108 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f;flag",
            "a=rtpmap:109 rtx/90000", "a=fmtp:109 apt=108",
            "a=rid:q recv", "a=rid:h recv", "a=rid:f recv", "a=simulcast:recv q;h;f",
        ]);
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void An_m_line_without_a_codec_is_rejected_and_left_out_of_the_bundle()
    {
        // The committed offer with its video m-line cut down to VP8 and its rtx: no H264 for this SFU.
        string offer = string.Join("\r\n", OfferLines().Select(l => l.StartsWith("m=video", StringComparison.Ordinal) ? "m=video 9 UDP/TLS/RTP/SAVPF 96 97" : l)) + "\r\n";
        string answer = SdpAnswer.Write(SdpOffer.Parse(offer), Options);
        var sections = Sections(answer);
        AssertSection(sections[0], "the session (only the accepted mid 0 in BUNDLE)", "v=0", ["o=- 7 1 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=ice-lite", "a=group:BUNDLE 0"]);
        AssertSection(sections[2], "the rejected video m-line: port 0, the first offered payload type, a=mid, a=inactive", "m=video 0 UDP/TLS/RTP/SAVPF 96",
            ["c=IN IP4 127.0.0.1", "a=mid:1", "a=inactive"]);
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_watcher_offer_is_answered_sendonly_without_simulcast()
    {
        // A watcher's video: recvonly, one H264 (payload type 99 in this browser's numbering), no rtx, no rid, no extension kept.
        string offer = string.Join("\r\n",
        [
            "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE v",
            "a=ice-ufrag:wtch", "a=ice-pwd:abcdefghijklmnopqrstuv", $"a=fingerprint:{Fingerprint}",
            "m=video 9 UDP/TLS/RTP/SAVPF 99", "c=IN IP4 0.0.0.0", "a=mid:v", "a=recvonly", "a=rtcp-mux",
            "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
            "a=rtpmap:99 h264/90000", "a=rtcp-fb:99 nack pli", "a=rtcp-fb:99 transport-cc", "a=fmtp:99 packetization-mode=1",
            "",
        ]);
        var parsed = SdpOffer.Parse(offer);
        Assert.True(parsed.Media[0].Setup == "actpass", $"an offer without a=setup: Setup is actpass; got {parsed.Media[0].Setup}. See README §SDP offer.");
        string answer = SdpAnswer.Write(parsed, Options);
        var sections = Sections(answer);
        AssertSection(sections[1], "a watcher's video (recvonly offered → sendonly; only the offered feedback among nack and nack pli)", "m=video 50009 UDP/TLS/RTP/SAVPF 99",
        [
            .. Common("v", "sendonly"),
            "a=rtpmap:99 h264/90000", "a=rtcp-fb:99 nack pli", "a=fmtp:99 packetization-mode=1",
        ]);
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Offer_lines_may_end_in_LF_alone_and_attributes_default_as_the_handout_says()
    {
        string offer = string.Join("\n",
        [
            "v=0", "s=", "a=group:LS a v", "a=ice-ufrag:sess", "a=ice-pwd:session-password-0123456789", "a=fingerprint:sha-256 AB:CD", "a=setup:active",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111 0", "i=rtcp-mux", "a=mid:a", "a=rtpmap:111 OPUS/48000/2", "a=rtpmap:0 PCMU/8000",
            "m=video 9 UDP/TLS/RTP/SAVPF 100", "a=mid:v", "a=ice-ufrag:med1", "a=ice-pwd:media-password-0123456789", "a=fingerprint:sha-256 EF:01",
            "a=setup:passive", "a=extmap:3/sendonly urn:ietf:params:rtp-hdrext:sdes:mid", "a=rtpmap:100 H264/90000/1",
            "a=fmtp:100 packetization-mode=1; flag", "a=rid:lo send", "a=rid:hi recv",
            "m=text 9 RTP/AVP 127", "a=mid:t", "a=inactive",
        ]);
        var parsed = SdpOffer.Parse(offer);
        Assert.True(parsed.BundleMids.Count == 0, "an offer without a=group:BUNDLE (a=group:LS is another group) has no bundle mids. See README §SDP offer.");
        Assert.True(parsed.Media.Count == 3 && parsed.Media[2] is { Kind: "text", Mid: "t", Direction: "inactive" } && parsed.Media[2].PayloadTypes.SequenceEqual([127]),
            "the third m-line: text, mid t, a=inactive, payload type 127 (the highest there is). See README §SDP offer.");
        var audio = parsed.Media[0];
        Assert.True(audio.IceUfrag == "sess" && audio.IcePwd == "session-password-0123456789" && audio.Fingerprint == "sha-256 AB:CD" && audio.Setup == "active",
            $"an m-line without its own a=ice-ufrag, a=ice-pwd, a=fingerprint, a=setup takes the session's; got {audio.IceUfrag}, {audio.IcePwd}, {audio.Fingerprint}, {audio.Setup}. See README §SDP offer.");
        Assert.True(audio.Direction == "sendrecv" && !audio.RtcpMux && audio.Simulcast is null && audio.SendRids.Count == 0,
            $"no direction attribute means sendrecv; no a=rtcp-mux means false (i= is the media title, not an attribute); got {audio.Direction}, {audio.RtcpMux}. See README §SDP offer.");
        Assert.True(audio.Codecs.Count == 2 && audio.Codec(0) is { Name: "PCMU", ClockRate: 8000, Channels: null } && audio.Codec(111) is { Channels: 2 },
            $"two codecs: 111 OPUS/48000/2 and 0 PCMU/8000 (no channels); got {string.Join(", ", audio.Codecs)}.");
        Assert.True(SdpAnswer.ChooseCodec(audio)?.PayloadType == 111, "opus is chosen whatever its case (OPUS/48000/2). See README §SDP answer.");
        var video = parsed.Media[1];
        Assert.True(video.IceUfrag == "med1" && video.IcePwd == "media-password-0123456789" && video.Fingerprint == "sha-256 EF:01" && video.Setup == "passive",
            $"an m-line's own a=ice-ufrag, a=ice-pwd, a=fingerprint and a=setup win over the session's; got {video.IceUfrag}, {video.IcePwd}, {video.Fingerprint}, {video.Setup}. See README §SDP offer.");
        Assert.True(video.Extensions.TryGetValue(3, out var uri) && uri == "urn:ietf:params:rtp-hdrext:sdes:mid",
            "a=extmap:3/sendonly <uri>: a /direction after the id is allowed; the id is 3. See README §SDP offer.");
        var h264 = video.Codec(100);
        Assert.True(h264 is { Name: "H264", ClockRate: 90000, Channels: 1 } && h264.Parameters.Count == 2 && h264.Parameters["packetization-mode"] == "1"
            && h264.Parameters.TryGetValue("flag", out var flag) && flag == "" && h264.Feedback.Count == 0,
            $"a=rtpmap:100 H264/90000/1, a=fmtp:100 packetization-mode=1; flag (a parameter without '=' has the value \"\"); got {h264} with {string.Join(";", h264?.Parameters.Select(p => $"[{p.Key}]=[{p.Value}]") ?? [])}. See README §SDP offer.");
        Assert.True(video.SendRids.SequenceEqual(["lo"]), $"a=rid:lo send and a=rid:hi recv: SendRids is lo only; got {string.Join(",", video.SendRids)}. See README §SDP offer.");
        Assert.True(SdpAnswer.ChooseCodec(video)?.PayloadType == 100, "the only H264 with packetization-mode=1 is chosen when none is 42e0. See README §SDP answer.");
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    [InlineData("fmtp without payload type", "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:0\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\na=fingerprint:sha-256 00\r\na=fmtp:x a=1\r\n", 6, "a=fmtp")]
    [InlineData("rtcp-fb without payload type", "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:0\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\na=fingerprint:sha-256 00\r\na=rtcp-fb:x nack\r\n", 6, "a=rtcp-fb")]
    [InlineData("extmap id no number", "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:0\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\na=fingerprint:sha-256 00\r\na=extmap:x urn:a\r\n", 6, "a=extmap")]
    [InlineData("extmap without URI", "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:0\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\na=fingerprint:sha-256 00\r\na=extmap:5\r\n", 6, "a=extmap")]
    [InlineData("rtpmap without clock rate", "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:0\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\na=fingerprint:sha-256 00\r\na=rtpmap:96 H264\r\n", 6, "a=rtpmap")]
    [InlineData("rtpmap clock rate no number", "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:0\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\na=fingerprint:sha-256 00\r\na=rtpmap:96 H264/fast\r\n", 6, "a=rtpmap")]
    [InlineData("m-line port no number", "v=0\r\nm=video x UDP/TLS/RTP/SAVPF 96\r\n", 2, "m=")]
    [InlineData("m-line without payload types", "v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF\r\n", 2, "m=")]
    [InlineData("payload type 128", "v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 128\r\n", 2, "m=")]
    [InlineData("payload type -1", "v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF -1\r\n", 2, "m=")]
    [InlineData("no ice-pwd anywhere", "v=0\r\na=ice-ufrag:abcd\r\na=fingerprint:sha-256 00\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:0\r\n", 4, "a=ice-pwd")]
    [InlineData("no fingerprint anywhere", "v=0\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:0\r\n", 4, "a=fingerprint")]
    [InlineData("blank lines are counted", "v=0\r\n\r\nx\r\n", 3, "line")]
    public void More_bad_offers_throw_WebRtcException_with_the_line(string what, string sdp, int line, string field)
    {
        var error = Record.Exception(() => SdpOffer.Parse(sdp));
        Assert.True(error is WebRtcException { Protocol: "SDP" } e && e.Offset == line && e.Field == field,
            $"{what}: expected WebRtcException(\"SDP\", \"{field}\") at line {line}; got {error?.GetType().Name} {(error as WebRtcException)?.Field} at {(error as WebRtcException)?.Offset}: {error?.Message}. See README §SDP offer.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Codec_choice_takes_42e0_first_then_any_packetization_mode_1_and_only_opus_stereo_at_48000()
    {
        SdpMedia Media(string kind, params SdpCodec[] codecs) => new()
        {
            Kind = kind, Port = 9, Protocol = "UDP/TLS/RTP/SAVPF", PayloadTypes = [.. codecs.Select(c => c.PayloadType)], Mid = "0", Direction = "sendonly",
            RtcpMux = true, IceUfrag = "abcd", IcePwd = "abcdefghijklmnopqrstuv", Fingerprint = Fingerprint, Setup = "actpass", Codecs = codecs,
            Extensions = new Dictionary<int, string>(), SendRids = [], Simulcast = null,
        };
        SdpCodec Codec(int pt, string name, int rate, int? channels, params (string Key, string Value)[] parameters) =>
            new(pt, name, rate, channels, parameters.ToDictionary(p => p.Key, p => p.Value), []);

        var video = Media("video",
            Codec(100, "H264", 90000, null, ("packetization-mode", "0"), ("profile-level-id", "42e01f")),
            Codec(101, "H264", 90000, null, ("packetization-mode", "1"), ("profile-level-id", "64001f")),
            Codec(102, "H264", 90000, null, ("packetization-mode", "1")),
            Codec(103, "h264", 90000, null, ("packetization-mode", "1"), ("profile-level-id", "42E01F")));
        Assert.True(SdpAnswer.ChooseCodec(video)?.PayloadType == 103,
            $"video: 103 is the first H264 (any case) with packetization-mode=1 and a 42e0 profile-level-id (any case); got {SdpAnswer.ChooseCodec(video)?.PayloadType}. See README §SDP answer.");
        var noBaseline = Media("video", video.Codecs[0], video.Codecs[1], video.Codecs[2]);
        Assert.True(SdpAnswer.ChooseCodec(noBaseline)?.PayloadType == 101, $"video without a 42e0 profile: the first H264 with packetization-mode=1 (101); got {SdpAnswer.ChooseCodec(noBaseline)?.PayloadType}.");
        Assert.True(SdpAnswer.ChooseCodec(Media("video", video.Codecs[0])) is null, "video with only packetization-mode=0: no codec (null).");
        var audio = Media("audio", Codec(1, "opus", 48000, 1), Codec(2, "opus", 16000, 2), Codec(3, "Opus", 48000, 2));
        Assert.True(SdpAnswer.ChooseCodec(audio)?.PayloadType == 3, $"audio: opus/48000/2 only (not /1, not at 16000); got {SdpAnswer.ChooseCodec(audio)?.PayloadType}. See README §SDP answer.");
        Assert.True(SdpAnswer.ChooseCodec(Media("audio", audio.Codecs[0], audio.Codecs[1])) is null, "audio without opus/48000/2: null.");
        Assert.True(SdpAnswer.ChooseCodec(Media("application", video.Codecs[3], audio.Codecs[2])) is null, "an m-line that is neither audio nor video has no codec for this SFU.");
    }

    /// <summary>The answer cut into the session and its media sections; every line must end in CRLF.</summary>
    private static List<List<string>> Sections(string answer)
    {
        Assert.True(answer.EndsWith("\r\n", StringComparison.Ordinal) && !answer.Replace("\r\n", "", StringComparison.Ordinal).Contains('\n', StringComparison.Ordinal),
            $"every line of the answer ends in CRLF (RFC 8866 §5). See README §SDP answer.\n{answer}");
        var sections = new List<List<string>> { new() };
        foreach (var line in answer[..^2].Split("\r\n"))
        {
            if (line.StartsWith("m=", StringComparison.Ordinal))
            {
                sections.Add([]);
            }

            sections[^1].Add(line);
        }

        return sections;
    }

    private static void AssertSection(List<string> section, string what, string first, string[] rest)
    {
        string text = string.Join("\n", section);
        Assert.True(section.Count > 0 && section[0] == first, $"{what}: the first line must be \"{first}\"; got \"{section.FirstOrDefault()}\".\n{text}\nSee README §SDP answer.");
        if (first == "v=0")
        {
            string[] fixedOrder = ["o=", "s=", "t="];
            for (int i = 0; i < fixedOrder.Length; i++)
            {
                Assert.True(section.Count > i + 1 && section[i + 1].StartsWith(fixedOrder[i], StringComparison.Ordinal), $"{what}: v=, o=, s=, t= come first, in that order (RFC 8866 §5).\n{text}");
            }
        }
        else
        {
            Assert.True(section.Count > 1 && section[1].StartsWith("c=", StringComparison.Ordinal), $"{what}: c= comes right after m= (RFC 8866 §5).\n{text}");
        }

        var expected = rest.Order(StringComparer.Ordinal).ToList();
        var got = section.Skip(1).Order(StringComparer.Ordinal).ToList();
        var missing = expected.Except(got).ToList();
        var extra = got.Except(expected).ToList();
        Assert.True(expected.SequenceEqual(got),
            $"{what}: the lines after \"{first}\" differ from README §SDP answer.\nmissing: {string.Join(" | ", missing)}\nunexpected: {string.Join(" | ", extra)}\nthe section:\n{text}");
    }
}
