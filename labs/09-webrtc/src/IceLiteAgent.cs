using System.Net;

namespace Lab09.WebRtc;

/// <summary>
/// The STUN side of an ICE-lite agent (RFC 8445 §2.5): it never sends a check of its own, it answers the
/// Binding requests (connectivity checks, 连通性检查) the browser sends to its one host candidate.
/// </summary>
/// <remarks>
/// <code>
///  browser (full agent, controlling)                     SFU (ICE-lite, controlled)
///    | Binding request: USERNAME "sfuUfrag:browserUfrag",   |
///    |   PRIORITY, ICE-CONTROLLING, [USE-CANDIDATE],        |
///    |   MESSAGE-INTEGRITY (key: the SFU's ice-pwd),        |
///    |   FINGERPRINT  -------------------------------->     |  checks FINGERPRINT, USERNAME, MESSAGE-INTEGRITY
///    |  &lt;--------------------------------  success response |  XOR-MAPPED-ADDRESS = where the request came from,
///    |                                                      |  MESSAGE-INTEGRITY (same key), FINGERPRINT
/// </code>
/// One agent serves one ufrag/password pair (one browser's session). It never throws for what a peer sends:
/// every datagram is answered, answered with an error, or dropped and counted.
/// </remarks>
public sealed class IceLiteAgent
{
    private static readonly HashSet<ushort> KnownComprehensionRequired =
    [
        StunAttributeType.MappedAddress, StunAttributeType.Username, StunAttributeType.MessageIntegrity, StunAttributeType.ErrorCode,
        StunAttributeType.UnknownAttributes, StunAttributeType.Realm, StunAttributeType.Nonce, StunAttributeType.XorMappedAddress,
        StunAttributeType.Priority, StunAttributeType.UseCandidate,
    ];

    private readonly byte[] _key;

    /// <summary>
    /// Creates the agent for the local <paramref name="ufrag"/> and <paramref name="password"/> (the a=ice-ufrag and
    /// a=ice-pwd of the SFU's SDP). <paramref name="software"/>, when given, is sent as SOFTWARE in success responses;
    /// <paramref name="paddingByte"/> fills attribute padding (RFC 5769 uses 0x20).
    /// </summary>
    public IceLiteAgent(string ufrag, string password, string? software = null, byte paddingByte = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(ufrag);
        ArgumentException.ThrowIfNullOrEmpty(password);
        Ufrag = ufrag;
        Password = password;
        Software = software;
        PaddingByte = paddingByte;
        _key = StunIntegrity.ShortTermKey(password);
    }

    /// <summary>The local ufrag: the part of USERNAME before the colon.</summary>
    public string Ufrag { get; }

    /// <summary>The local password: the MESSAGE-INTEGRITY key of requests and responses.</summary>
    public string Password { get; }

    /// <summary>SOFTWARE for success responses, or null for none.</summary>
    public string? Software { get; }

    /// <summary>The byte that fills attribute padding.</summary>
    public byte PaddingByte { get; }

    /// <summary>Success responses sent.</summary>
    public long Answered { get; private set; }

    /// <summary>Error responses sent.</summary>
    public long Rejected { get; private set; }

    /// <summary>Datagrams dropped without an answer.</summary>
    public long Dropped { get; private set; }

    /// <summary>
    /// The address of the first valid request with USE-CANDIDATE: the pair the controlling browser nominated
    /// (RFC 8445 §7.3.1.5, §8.2); media goes there. Null until then.
    /// </summary>
    public IPEndPoint? Nominated { get; private set; }

    /// <summary>Handles one datagram that came from <paramref name="source"/> (README §The agent). Never throws for its content.</summary>
    public StunHandling Handle(ReadOnlySpan<byte> datagram, IPEndPoint source)
    {
        ArgumentNullException.ThrowIfNull(source);
        throw new NotImplementedException("Lab 09 · M1: parse (WebRtcException → dropped); only Binding requests with a valid FINGERPRINT; then 400 (no USERNAME or MESSAGE-INTEGRITY), 401 (other ufrag, bad integrity), 420 (unknown comprehension-required), else the success response — README §The agent");
    }

    private StunHandling Drop(string reason)
    {
        Dropped++;
        return new StunHandling(StunOutcome.Dropped, null, null, reason, false, null);
    }

    private StunHandling Reject(StunMessage request, int code, string phrase, string reason, bool withIntegrity, byte[]? unknownAttributes = null)
    {
        var response = new StunMessageWriter(StunClass.ErrorResponse, StunMessage.BindingMethod, request.TransactionId.Span, PaddingByte);
        response.AddErrorCode(code, phrase);
        if (unknownAttributes is not null)
        {
            response.Add(StunAttributeType.UnknownAttributes, unknownAttributes);
        }

        if (withIntegrity)
        {
            response.AddMessageIntegrity(_key);
        }

        response.AddFingerprint();
        Rejected++;
        return new StunHandling(StunOutcome.ErrorResponse, response.ToArray(), code, reason, false, null);
    }
}
