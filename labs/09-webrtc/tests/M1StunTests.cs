using System.Net;
using System.Text;

namespace Lab09.WebRtc.Tests;

/// <summary>M1: STUN for ICE-lite (RFC 8489, RFC 8445 §2.5, §7.3), checked against the RFC 5769 test vectors byte for byte.</summary>
public class M1StunTests
{
    private const string Milestone = "M1 STUN for ICE-lite";

    private static readonly IPEndPoint Browser = new(IPAddress.Loopback, 50123);

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Crc32_gives_the_check_value_of_the_standard()
    {
        uint crc = Crc32.Compute("123456789"u8);
        Assert.True(crc == 0xCBF43926, $"CRC-32 of \"123456789\" is 0xcbf43926 (the check value of CRC-32/ISO-HDLC); got 0x{crc:x8}. See README §FINGERPRINT.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Parse_reads_the_header_and_attributes_of_the_RFC_5769_request()
    {
        var m = StunMessage.Parse(Rfc5769.Request);

        Assert.True(m.Class == StunClass.Request && m.Method == StunMessage.BindingMethod,
            $"RFC 5769 §2.1 is a Binding request (type 0x0001): expected Request/0x001, got {m.Class}/0x{m.Method:x3}. See README §Header.");
        HexDiff.AssertEqual(Rfc5769.TransactionId, m.TransactionId.Span, "transaction ID (bytes 8-19)", "README §Header");
        ushort[] types = [.. m.Attributes.Select(a => a.Type)];
        Assert.True(types.SequenceEqual(new ushort[] { 0x8022, 0x0024, 0x8029, 0x0006, 0x0008, 0x8028 }),
            $"attributes in order: expected SOFTWARE, PRIORITY, ICE-CONTROLLED, USERNAME, MESSAGE-INTEGRITY, FINGERPRINT; got {string.Join(", ", types.Select(t => $"0x{t:x4}"))}. See README §Parsing.");
        int[] offsets = [.. m.Attributes.Select(a => a.Offset)];
        Assert.True(offsets.SequenceEqual(new[] { 20, 40, 48, 60, 76, 100 }),
            $"attribute offsets (of each 4-byte header): expected 20, 40, 48, 60, 76, 100; got {string.Join(", ", offsets)}. Padding counts. See README §Parsing.");
        Assert.True(m.Software == "STUN test client", $"SOFTWARE: expected \"STUN test client\", got \"{m.Software}\".");
        Assert.True(m.Username == "evtj:h6vY", $"USERNAME: expected \"evtj:h6vY\" (9 bytes, the 3 padding bytes left out), got \"{m.Username}\". See README §Parsing.");
        Assert.True(m.Priority == 0x6e0001ff, $"PRIORITY: expected 0x6e0001ff, got {m.Priority:x8}.");
        Assert.True(m.IceControlled == 0x932ff9b151263b36, $"ICE-CONTROLLED: expected 0x932ff9b151263b36, got {m.IceControlled:x16}.");
        Assert.True(m.IceControlling is null && !m.UseCandidate, "the request has neither ICE-CONTROLLING nor USE-CANDIDATE.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Integrity_and_fingerprint_of_the_RFC_5769_request_verify_and_catch_a_changed_byte()
    {
        var m = StunMessage.Parse(Rfc5769.Request);
        var key = StunIntegrity.ShortTermKey(Rfc5769.Password);
        Assert.True(m.VerifyMessageIntegrity(key), "MESSAGE-INTEGRITY of RFC 5769 §2.1 must verify with the password VOkJxbRl1RmTxUk/WvJxBt. See README §MESSAGE-INTEGRITY (Message Length counts up to the end of MESSAGE-INTEGRITY).");
        Assert.True(m.VerifyFingerprint(), "FINGERPRINT of RFC 5769 §2.1 must verify. See README §FINGERPRINT (Message Length counts FINGERPRINT itself).");
        Assert.False(m.VerifyMessageIntegrity(StunIntegrity.ShortTermKey("VOkJxbRl1RmTxUk/WvJxBT")), "MESSAGE-INTEGRITY must not verify with another password.");

        var changed = (byte[])Rfc5769.Request.Clone();
        changed[30] ^= 0x01; // inside SOFTWARE
        var c = StunMessage.Parse(changed);
        Assert.False(c.VerifyMessageIntegrity(key), "a message with a changed SOFTWARE byte must fail MESSAGE-INTEGRITY.");
        Assert.False(c.VerifyFingerprint(), "a message with a changed SOFTWARE byte must fail FINGERPRINT.");

        var noFingerprint = StunMessage.Parse(Rfc5769.Request.AsSpan(0, 100).ToArray().Also(b => b[3] = 80));
        Assert.False(noFingerprint.VerifyFingerprint(), "a message without FINGERPRINT does not verify it.");
        Assert.True(noFingerprint.VerifyMessageIntegrity(key), "MESSAGE-INTEGRITY is computed over the bytes before it, whatever follows it (RFC 8489 §14.5).");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Xor_mapped_address_of_the_RFC_5769_responses_decodes_to_IPv4_and_IPv6()
    {
        var v4 = StunMessage.Parse(Rfc5769.ResponseIPv4);
        Assert.True(v4.Class == StunClass.SuccessResponse, $"RFC 5769 §2.2 is a success response (0x0101); got {v4.Class}. See README §Header.");
        Assert.True(Rfc5769.MappedIPv4.Equals(v4.XorMappedAddress), $"XOR-MAPPED-ADDRESS of §2.2: expected 192.0.2.1:32853, got {v4.XorMappedAddress}. See README §XOR-MAPPED-ADDRESS.");
        var v6 = StunMessage.Parse(Rfc5769.ResponseIPv6);
        Assert.True(Rfc5769.MappedIPv6.Equals(v6.XorMappedAddress),
            $"XOR-MAPPED-ADDRESS of §2.3: expected [2001:db8:1234:5678:11:2233:4455:6677]:32853, got {v6.XorMappedAddress}. IPv6 xors with the cookie AND the transaction ID. See README §XOR-MAPPED-ADDRESS.");
        var key = StunIntegrity.ShortTermKey(Rfc5769.Password);
        Assert.True(v4.VerifyMessageIntegrity(key) && v4.VerifyFingerprint() && v6.VerifyMessageIntegrity(key) && v6.VerifyFingerprint(),
            "MESSAGE-INTEGRITY and FINGERPRINT of RFC 5769 §2.2 and §2.3 must verify.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Long_term_key_verifies_the_RFC_5769_long_term_request()
    {
        var m = StunMessage.Parse(Rfc5769.LongTermRequest);
        Assert.True(m.Username == Rfc5769.LongTermUsername, $"USERNAME of §2.4: expected the UTF-8 text マトリックス, got \"{m.Username}\".");
        var realm = m.Find(StunAttributeType.Realm);
        var nonce = m.Find(StunAttributeType.Nonce);
        Assert.True(realm is { } r && Encoding.UTF8.GetString(r.Value.Span) == Rfc5769.LongTermRealm, "REALM of §2.4 must read \"example.org\" (11 bytes, padding left out).");
        Assert.True(nonce is { } n && Encoding.UTF8.GetString(n.Value.Span) == Rfc5769.LongTermNonce, "NONCE of §2.4 must read \"f//499k954d6OL34oL9FSTvy64sA\".");
        var key = StunIntegrity.LongTermKey(Rfc5769.LongTermUsername, Rfc5769.LongTermRealm, Rfc5769.LongTermPassword);
        HexDiff.AssertEqual(System.Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes("マトリックス:example.org:TheMatrIX")), key,
            "long-term key = MD5(username \":\" realm \":\" password)", "README §Keys, RFC 8489 §9.2.2");
        Assert.True(m.VerifyMessageIntegrity(key), "MESSAGE-INTEGRITY of RFC 5769 §2.4 must verify with the long-term key.");
        Assert.False(m.VerifyFingerprint(), "RFC 5769 §2.4 has no FINGERPRINT.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Writer_builds_the_RFC_5769_request_byte_for_byte()
    {
        var w = new StunMessageWriter(StunClass.Request, StunMessage.BindingMethod, Rfc5769.TransactionId, paddingByte: 0x20);
        w.Add(StunAttributeType.Software, "STUN test client")
            .Add(StunAttributeType.Priority, [0x6e, 0x00, 0x01, 0xff])
            .Add(StunAttributeType.IceControlled, Convert.FromHexString("932ff9b151263b36"))
            .Add(StunAttributeType.Username, "evtj:h6vY")
            .AddMessageIntegrity(StunIntegrity.ShortTermKey(Rfc5769.Password))
            .AddFingerprint();
        HexDiff.AssertEqual(Rfc5769.Request, w.ToArray(), "the RFC 5769 §2.1 request built attribute by attribute (padding 0x20)", "README §Writing");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Writer_puts_class_and_method_bits_where_RFC_8489_figure_3_says()
    {
        Span<byte> header = stackalloc byte[20];
        StunMessageWriter.WriteHeader(header, StunClass.ErrorResponse, 0x0ABC, Rfc5769.TransactionId);
        // M11..M7 C1 M6..M4 C0 M3..M0 with M = 1010 1011 1100, C = 11: 10101 1 011 1 1100 = 0x2B7C
        HexDiff.AssertEqual(Convert.FromHexString("2b7c00002112a442b7e7a701bc34d686fa87dfae"), header, "header of an error response, method 0xABC", "README §Header");
        StunMessageWriter.WriteHeader(header, StunClass.Indication, StunMessage.BindingMethod, Rfc5769.TransactionId);
        HexDiff.AssertEqual(Convert.FromHexString("0011"), header[..2], "type of a Binding indication", "README §Header");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Agent_answers_the_RFC_5769_request_with_the_RFC_5769_IPv4_response_byte_for_byte()
    {
        var agent = new IceLiteAgent("evtj", Rfc5769.Password, software: "test vector", paddingByte: 0x20);
        var handling = agent.Handle(Rfc5769.Request, Rfc5769.MappedIPv4);
        Assert.True(handling.Outcome == StunOutcome.Answered, $"a valid Binding request must be answered; got {handling.Outcome}: {handling.Reason}. See README §The agent.");
        HexDiff.AssertEqual(Rfc5769.ResponseIPv4, handling.Response, "the success response to RFC 5769 §2.1 from 192.0.2.1:32853 (RFC 5769 §2.2)",
            "README §The agent: SOFTWARE, XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY, FINGERPRINT");
        Assert.True(handling.RemoteUfrag == "h6vY", $"RemoteUfrag: expected h6vY (after the colon of USERNAME), got {handling.RemoteUfrag}.");
        Assert.True(agent.Answered == 1 && agent.Rejected == 0 && agent.Dropped == 0, $"counters: expected 1 answered; got {agent.Answered}/{agent.Rejected}/{agent.Dropped}.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Agent_answers_an_IPv6_source_with_the_RFC_5769_IPv6_response_byte_for_byte()
    {
        var agent = new IceLiteAgent("evtj", Rfc5769.Password, software: "test vector", paddingByte: 0x20);
        var handling = agent.Handle(Rfc5769.Request, Rfc5769.MappedIPv6);
        HexDiff.AssertEqual(Rfc5769.ResponseIPv6, handling.Response, "the success response to RFC 5769 §2.1 from [2001:db8:1234:5678:11:2233:4455:6677]:32853 (RFC 5769 §2.3)", "README §XOR-MAPPED-ADDRESS");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Agent_reports_use_candidate_and_the_nominated_address()
    {
        var agent = new IceLiteAgent("sfu1", "sfu-password-0123456789");
        var first = agent.Handle(StunSpec.Check("sfu1:brw1", "sfu-password-0123456789", useCandidate: false, seed: 1), Browser);
        Assert.True(first.Outcome == StunOutcome.Answered && !first.UseCandidate && agent.Nominated is null,
            $"a check without USE-CANDIDATE is answered and nominates nothing; got {first.Outcome}, UseCandidate {first.UseCandidate}, Nominated {agent.Nominated}. See README §The agent.");
        Assert.True(first.Response is { } r && StunSpec.IntegrityIsValid(r, "sfu-password-0123456789") && StunSpec.FingerprintIsValid(r),
            "the success response carries MESSAGE-INTEGRITY keyed with the agent's own password, and FINGERPRINT (RFC 8445 §7.3).");
        var second = agent.Handle(StunSpec.Check("sfu1:brw1", "sfu-password-0123456789", useCandidate: true, seed: 2), Browser);
        Assert.True(second.UseCandidate && Browser.Equals(agent.Nominated),
            $"a valid check with USE-CANDIDATE nominates its source; got UseCandidate {second.UseCandidate}, Nominated {agent.Nominated}. See README §The agent.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Agent_answers_bad_credentials_with_400_or_401_without_integrity()
    {
        var agent = new IceLiteAgent("sfu1", "sfu-password-0123456789");
        (byte[] Request, int Code, string Why)[] cases =
        [
            (StunSpec.Check("sfu1:brw1", "another-password-000000", false, 3), 401, "MESSAGE-INTEGRITY made with another password"),
            (StunSpec.Check("sfu2:brw1", "sfu-password-0123456789", false, 4), 401, "USERNAME for another ufrag (sfu2)"),
            (StunSpec.Check("sfu1:brw1", "sfu-password-0123456789", false, 5, integrity: false), 400, "no MESSAGE-INTEGRITY"),
        ];
        foreach (var (request, code, why) in cases)
        {
            var handling = agent.Handle(request, Browser);
            Assert.True(handling.Outcome == StunOutcome.ErrorResponse && handling.Response is not null,
                $"{why}: expected an error response {code}; got {handling.Outcome}. See README §The agent (RFC 8489 §9.1.3).");
            var response = handling.Response!;
            var attributes = StunSpec.Attributes(response);
            var error = attributes.FirstOrDefault(a => a.Type == 0x0009).Value;
            Assert.True(response[0] == 0x01 && response[1] == 0x11, $"{why}: an error response to a Binding request has type 0x0111; got 0x{response[0]:x2}{response[1]:x2}.");
            HexDiff.AssertEqual(request.AsSpan(8, 12), response.AsSpan(8, 12), $"{why}: the transaction ID echoed", "README §The agent");
            Assert.True(error is not null && error.Length >= 4 && error[2] * 100 + error[3] == code,
                $"{why}: ERROR-CODE must be {code} (class {code / 100} in byte 2, number {code % 100} in byte 3); got {(error is null ? "none" : Convert.ToHexString(error))}. See README §Errors.");
            Assert.True(attributes.All(a => a.Type != 0x0008), $"{why}: a 400/401 carries no MESSAGE-INTEGRITY (RFC 8489 §9.1.3).");
            Assert.True(StunSpec.FingerprintIsValid(response), $"{why}: the error response ends with a valid FINGERPRINT.");
            Assert.True(handling.ErrorCode == code, $"{why}: StunHandling.ErrorCode expected {code}, got {handling.ErrorCode}.");
        }

        Assert.True(agent.Rejected == 3 && agent.Answered == 0 && agent.Nominated is null, $"counters: expected 3 rejected, 0 answered; got {agent.Rejected}/{agent.Answered}.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Agent_answers_unknown_comprehension_required_attributes_with_420()
    {
        var agent = new IceLiteAgent("sfu1", "sfu-password-0123456789");
        var handling = agent.Handle(StunSpec.Check("sfu1:brw1", "sfu-password-0123456789", true, 6, extra: 0x0003), Browser);
        Assert.True(handling.ErrorCode == 420 && handling.Response is not null, $"an authenticated request with attribute 0x0003 (unknown here) gets 420; got {handling.Outcome} {handling.ErrorCode}. See README §Errors.");
        var unknown = StunSpec.Attributes(handling.Response!).FirstOrDefault(a => a.Type == 0x000A).Value;
        HexDiff.AssertEqual([0x00, 0x03], unknown ?? [], "UNKNOWN-ATTRIBUTES lists 0x0003", "README §Errors");
        Assert.True(StunSpec.IntegrityIsValid(handling.Response!, "sfu-password-0123456789"), "a 420 to an authenticated request carries MESSAGE-INTEGRITY (RFC 8489 §9.1.4).");
        Assert.True(agent.Nominated is null, "a rejected request nominates nothing.");
        var optional = agent.Handle(StunSpec.Check("sfu1:brw1", "sfu-password-0123456789", false, 7, extra: 0x8055), Browser);
        Assert.True(optional.Outcome == StunOutcome.Answered, $"an unknown comprehension-optional attribute (0x8055) is ignored; got {optional.Outcome} {optional.ErrorCode}.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Agent_drops_what_it_must_not_answer()
    {
        var agent = new IceLiteAgent("evtj", Rfc5769.Password);
        var badFingerprint = (byte[])Rfc5769.Request.Clone();
        badFingerprint[^1] ^= 0xFF;
        (byte[] Datagram, string Why)[] cases =
        [
            (Rfc5769.ResponseIPv4, "a success response (a lite agent sends no requests)"),
            (badFingerprint, "a wrong FINGERPRINT"),
            (StunSpec.Check("evtj:h6vY", Rfc5769.Password, false, 8, fingerprint: false), "no FINGERPRINT (ICE requires it)"),
            (Rfc5769.Request.AsSpan(0, 50).ToArray(), "a truncated datagram"),
            ([0x80, 0x60, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0], "an RTP packet"),
            ([], "an empty datagram"),
        ];
        foreach (var (datagram, why) in cases)
        {
            var handling = agent.Handle(datagram, Browser);
            Assert.True(handling.Outcome == StunOutcome.Dropped && handling.Response is null, $"{why}: expected dropped without an answer; got {handling.Outcome}. See README §The agent.");
        }

        Assert.True(agent.Dropped == cases.Length && agent.Answered == 0 && agent.Rejected == 0, $"counters: expected {cases.Length} dropped; got {agent.Dropped}/{agent.Answered}/{agent.Rejected}.");
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    [InlineData("short header", 19, "header")]
    [InlineData("top bits", 0, "message type")]
    [InlineData("length", 2, "message length")]
    [InlineData("cookie", 4, "magic cookie")]
    [InlineData("attribute", 60, "attribute 0x0006")]
    public void Parse_throws_WebRtcException_with_the_offset(string what, long offset, string field)
    {
        byte[] bytes = (byte[])Rfc5769.Request.Clone();
        switch (what)
        {
            case "short header": bytes = bytes[..19]; break;
            case "top bits": bytes[0] = 0x40; break;
            case "length": bytes[3] = 0x5A; break;
            case "cookie": bytes[5] = 0x13; break;
            case "attribute": bytes[63] = 0x40; break; // USERNAME claims 64 bytes
        }

        var error = Record.Exception(() => StunMessage.Parse(bytes));
        Assert.True(error is WebRtcException, $"{what}: expected WebRtcException; got {error?.GetType().Name ?? "no exception"}. See README §Parsing.");
        var e = (WebRtcException)error!;
        Assert.True(e.Offset == offset && e.Field == field && e.Protocol == "STUN",
            $"{what}: expected STUN field \"{field}\" at offset {offset}; got {e.Protocol} \"{e.Field}\" at {e.Offset}. See README §Parsing.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Fuzzed_datagrams_never_escape_the_agent()
    {
        var random = new Random(0x5354554E);
        var agent = new IceLiteAgent("evtj", Rfc5769.Password);
        byte[][] seeds = [Rfc5769.Request, Rfc5769.ResponseIPv4, Rfc5769.ResponseIPv6, Rfc5769.LongTermRequest];
        const int count = 3000;
        for (int i = 0; i < count; i++)
        {
            var datagram = (byte[])seeds[i % seeds.Length].Clone();
            int mode = random.Next(3);
            if (mode == 0)
            {
                datagram[random.Next(datagram.Length)] = (byte)random.Next(256);
            }
            else if (mode == 1)
            {
                datagram = datagram[..random.Next(datagram.Length)];
            }
            else
            {
                datagram[20 + random.Next(datagram.Length - 20)] ^= (byte)(1 << random.Next(8));
                datagram[random.Next(4)] ^= (byte)random.Next(256);
            }

            var error = Record.Exception(() => StunMessage.Parse(datagram));
            Assert.True(error is null or WebRtcException, $"fuzz case {i} ({Convert.ToHexString(datagram)}): Parse threw {error?.GetType().Name}; only WebRtcException is allowed. See README §Parsing.");
            var handlingError = Record.Exception(() => agent.Handle(datagram, Browser));
            Assert.True(handlingError is null, $"fuzz case {i} ({Convert.ToHexString(datagram)}): Handle threw {handlingError?.GetType().Name}: {handlingError?.Message}. The agent never throws for a datagram. See README §The agent.");
        }

        Assert.True(agent.Answered + agent.Rejected + agent.Dropped == count, $"every datagram is counted once: {agent.Answered} + {agent.Rejected} + {agent.Dropped} != {count}.");
        Assert.True(agent.Dropped > count / 2, $"most fuzzed datagrams fail a check and are dropped; only {agent.Dropped} of {count} were.");
    }
}

internal static class ArrayExtensions
{
    public static byte[] Also(this byte[] bytes, Action<byte[]> change)
    {
        change(bytes);
        return bytes;
    }
}
