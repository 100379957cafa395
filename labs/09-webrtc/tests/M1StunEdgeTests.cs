using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Lab09.WebRtc.Tests;

/// <summary>M1 at the edges: every class and method bit, the shortest messages, the reason phrases, and bad input to each piece.</summary>
public class M1StunEdgeTests
{
    private const string Milestone = "M1 STUN for ICE-lite";
    private const string Password = "sfu-password-0123456789";

    private static readonly IPEndPoint Browser = new(IPAddress.Loopback, 50123);

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Error_responses_carry_the_reason_phrases_of_the_handout()
    {
        var agent = new IceLiteAgent("sfu1", Password);
        (byte[] Request, int Code, string Phrase)[] cases =
        [
            (StunSpec.Check("sfu1:brw1", Password, false, 41, integrity: false), 400, "Bad Request"),
            (StunSpec.Check("sfu2:brw1", Password, false, 42), 401, "Unauthenticated"),
            (StunSpec.Check("sfu1:brw1", "another-password-000000", false, 43), 401, "Unauthenticated"),
            (StunSpec.Check("sfu1:brw1", Password, false, 44, extra: 0x7F03), 420, "Unknown Attribute"),
        ];
        foreach (var (request, code, phrase) in cases)
        {
            var response = agent.Handle(request, Browser).Response;
            var error = response is null ? null : StunSpec.Attributes(response).FirstOrDefault(a => a.Type == 0x0009).Value;
            Assert.True(error is not null && error.Length == 4 + phrase.Length && error[0] == 0 && error[1] == 0 && error[2] == code / 100 && error[3] == code % 100
                && Encoding.UTF8.GetString(error, 4, error.Length - 4) == phrase,
                $"ERROR-CODE for {code}: 0, 0, {code / 100}, {code % 100}, then \"{phrase}\"; got {(error is null ? "none" : Convert.ToHexString(error))}. See README §Errors.");
        }

        var unknown = StunSpec.Attributes(agent.Handle(StunSpec.Check("sfu1:brw1", Password, false, 45, extra: 0x7F03), Browser).Response!).First(a => a.Type == 0x000A).Value;
        HexDiff.AssertEqual([0x7F, 0x03], unknown, "UNKNOWN-ATTRIBUTES lists 0x7F03 as 2 bytes, big-endian", "README §Errors");
        var optional = agent.Handle(StunSpec.Check("sfu1:brw1", Password, false, 46, extra: 0x8000), Browser);
        Assert.True(optional.Outcome == StunOutcome.Answered, $"0x8000 is comprehension-optional (0x8000-0xFFFF, RFC 8489 §14): ignored; got {optional.Outcome} {optional.ErrorCode}. See README §The agent.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_first_source_with_use_candidate_stays_nominated()
    {
        var agent = new IceLiteAgent("sfu1", Password);
        var other = new IPEndPoint(IPAddress.Loopback, 50999);
        agent.Handle(StunSpec.Check("sfu1:brw1", Password, true, 47), Browser);
        var second = agent.Handle(StunSpec.Check("sfu1:brw1", Password, true, 48), other);
        Assert.True(second.UseCandidate && Browser.Equals(agent.Nominated),
            $"a later USE-CANDIDATE from {other} is answered but the first such source stays Nominated ({Browser}); got {agent.Nominated}. See README §The agent.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Parse_reads_every_class_and_method_bit_and_a_bare_header()
    {
        // RFC 8489 Figure 3: type 0x2B7C is method 0xABC, class error response (the header M1StunTests writes).
        var header = Convert.FromHexString("2b7c00002112a442b7e7a701bc34d686fa87dfae");
        var m = StunMessage.Parse(header);
        Assert.True(m.Class == StunClass.ErrorResponse && m.Method == 0xABC && m.Attributes.Count == 0,
            $"type 0x2b7c: method 0xabc, class error response, no attributes; got method 0x{m.Method:x3}, {m.Class}, {m.Attributes.Count} attributes. See README §Header.");
        Assert.False(m.VerifyFingerprint() || m.VerifyMessageIntegrity([1, 2, 3]), "a message without attributes has neither a valid FINGERPRINT nor MESSAGE-INTEGRITY.");
        header[1] = 0x11;
        header[0] = 0x00;
        var indication = StunMessage.Parse(header);
        Assert.True(indication.Class == StunClass.Indication && indication.Method == 0x001, $"type 0x0011 is a Binding indication; got {indication.Class} 0x{indication.Method:x3}.");
        header[0] = 0x3F;
        header[1] = 0xFF;
        var all = StunMessage.Parse(header);
        Assert.True(all.Class == StunClass.ErrorResponse && all.Method == 0xFFF, $"type 0x3fff: method 0xfff, error response; got 0x{all.Method:x3} {all.Class}.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Parse_takes_an_empty_last_attribute_and_refuses_a_length_that_is_no_multiple_of_4()
    {
        var message = new StunSpec(0x0001, Rfc5769.TransactionId).Attribute(0x0025, []).ToArray();
        var m = StunMessage.Parse(message);
        Assert.True(m.UseCandidate && m.Attributes.Count == 1 && m.Attributes[0].Offset == 20 && m.Attributes[0].Value.Length == 0,
            "a message whose last attribute is USE-CANDIDATE (4 bytes, value empty) parses. See README §Parsing.");

        var odd = new byte[22];
        Convert.FromHexString("000100022112a442b7e7a701bc34d686fa87dfae").CopyTo(odd, 0);
        var error = Record.Exception(() => StunMessage.Parse(odd));
        Assert.True(error is WebRtcException { Field: "message length", Offset: 2 },
            $"Message Length 2 for the 2 bytes after the header is still wrong (not a multiple of 4): \"message length\" at 2; got {error?.GetType().Name} {(error as WebRtcException)?.Field}. See README §Parsing.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Fingerprint_must_be_a_FINGERPRINT_attribute()
    {
        // The right CRC value, but under another attribute type (PRIORITY) as the last attribute.
        var before = new StunSpec(0x0001, Rfc5769.TransactionId).Attribute(0x0006, "sfu1:brw1").ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(before.AsSpan(2), (ushort)(before.Length - 20 + 8));
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, StunSpec.Crc(before) ^ 0x5354554E);
        var message = new StunSpec(0x0001, Rfc5769.TransactionId).Attribute(0x0006, "sfu1:brw1").Attribute(0x0024, crc).ToArray();
        Assert.False(StunMessage.Parse(message).VerifyFingerprint(), "VerifyFingerprint is true only when the last attribute is a FINGERPRINT (0x8028). See README §FINGERPRINT.");
        var real = new StunSpec(0x0001, Rfc5769.TransactionId).Attribute(0x0006, "sfu1:brw1").Fingerprint().ToArray();
        Assert.True(StunMessage.Parse(real).VerifyFingerprint(), "the same value as a FINGERPRINT verifies.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Writer_header_overwrites_its_destination_and_error_codes_are_300_to_699()
    {
        var header = Enumerable.Repeat((byte)0xFF, 20).ToArray();
        StunMessageWriter.WriteHeader(header, StunClass.Request, StunMessage.BindingMethod, Rfc5769.TransactionId);
        HexDiff.AssertEqual(Convert.FromHexString("000100002112a442b7e7a701bc34d686fa87dfae"), header, "a Binding request header written over 0xFF bytes (message length 0)", "README §Header");

        foreach (int code in new[] { 300, 699 })
        {
            var w = new StunMessageWriter(StunClass.ErrorResponse, StunMessage.BindingMethod, Rfc5769.TransactionId);
            var error = Record.Exception(() => w.AddErrorCode(code, "x"));
            Assert.True(error is null, $"ERROR-CODE {code} is in 300-699: no exception; got {error?.GetType().Name}. See README §Errors.");
        }

        foreach (int code in new[] { 299, 700 })
        {
            var w = new StunMessageWriter(StunClass.ErrorResponse, StunMessage.BindingMethod, Rfc5769.TransactionId);
            var error = Record.Exception(() => w.AddErrorCode(code, "x"));
            Assert.True(error is ArgumentOutOfRangeException, $"ERROR-CODE {code} is outside 300-699: ArgumentOutOfRangeException; got {error?.GetType().Name ?? "nothing"}. See README §Errors.");
        }

        var big = Record.Exception(() => new StunMessageWriter(StunClass.Request, StunMessage.BindingMethod, Rfc5769.TransactionId).Add(0x8022, new byte[65536]));
        Assert.True(big is ArgumentException, $"a value of 65536 bytes does not fit the 16-bit attribute length: ArgumentException; got {big?.GetType().Name ?? "nothing"}. See README §Writing.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Xor_mapped_address_writes_mapped_IPv4_as_IPv4_and_refuses_bad_values()
    {
        var expected = StunSpec.Attributes(Rfc5769.ResponseIPv4).First(a => a.Type == 0x0020).Value;
        var value = new byte[20];
        int length = StunXorAddress.Encode(new IPEndPoint(Rfc5769.MappedIPv4.Address.MapToIPv6(), 32853), Rfc5769.TransactionId, value);
        HexDiff.AssertEqual(expected, value.AsSpan(0, length), "XOR-MAPPED-ADDRESS of ::ffff:192.0.2.1 port 32853: written as IPv4 (RFC 5769 §2.2)", "README §XOR-MAPPED-ADDRESS");
        var small = Record.Exception(() => StunXorAddress.Encode(Rfc5769.MappedIPv6, Rfc5769.TransactionId, new byte[8]));
        Assert.True(small is ArgumentException, $"an IPv6 address needs 20 bytes; 8 are too few: ArgumentException; got {small?.GetType().Name ?? "nothing"}. See README §XOR-MAPPED-ADDRESS.");

        byte[][] bad =
        [
            [],
            [0x00],
            [0x00, 0x01],
            [0x00, 0x01, .. new byte[18]], // family IPv4 with 20 bytes
            [0x00, 0x02, .. new byte[6]], // family IPv6 with 8 bytes
            [0x00, 0x03, .. new byte[18]], // no such family
            [0x00, 0x03, .. new byte[6]],
        ];
        foreach (var v in bad)
        {
            var error = Record.Exception(() => StunXorAddress.Decode(v, Rfc5769.TransactionId, 36));
            Assert.True(error is WebRtcException { Field: "XOR-MAPPED-ADDRESS", Offset: 36 },
                $"XOR-MAPPED-ADDRESS value {Convert.ToHexString(v)}: expected WebRtcException (\"XOR-MAPPED-ADDRESS\", offset 36); got {error?.GetType().Name ?? "nothing"}. See README §XOR-MAPPED-ADDRESS.");
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Integrity_and_fingerprint_need_the_20_byte_header()
    {
        var integrity = Record.Exception(() => StunIntegrity.ComputeMessageIntegrity(new byte[19], [1, 2, 3], new byte[20]));
        var fingerprint = Record.Exception(() => StunIntegrity.ComputeFingerprint(new byte[19]));
        Assert.True(integrity is ArgumentException && fingerprint is ArgumentException,
            $"19 bytes are no STUN header: both throw ArgumentException; got {integrity?.GetType().Name ?? "nothing"} and {fingerprint?.GetType().Name ?? "nothing"}. See README §MESSAGE-INTEGRITY.");
    }
}
