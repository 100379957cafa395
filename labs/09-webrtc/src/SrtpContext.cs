using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Lab09.WebRtc;

/// <summary>
/// One direction of SRTP and SRTCP with AES_CM_128_HMAC_SHA1_80 (RFC 3711 §3, §4; the profile of RFC 5764 §4.1.2):
/// the session keys derived from one master key and salt, and per SSRC the rollover counter, the replay windows and
/// the SRTCP index.
/// </summary>
/// <remarks>
/// <code>
/// SRTP:   | RTP header (clear) | payload (encrypted) | auth tag (10) |     tag = HMAC-SHA1(auth key, header || payload || ROC)[0..10]
/// SRTCP:  | first 8 bytes (clear) | rest (encrypted) | E + 31-bit SRTCP index | auth tag (10) |
///                                                     tag = HMAC-SHA1(auth key, everything before the tag)[0..10]
/// </code>
/// A context is used for one direction only: the sender protects with it, the receiver unprotects with its own
/// context made from the same master key and salt. Unprotecting never throws for what a packet holds: a packet that
/// is too short, fails authentication or is a replay is dropped (null) and counted.
/// </remarks>
public sealed class SrtpContext
{
    /// <summary>The master key length of AES_CM_128 (RFC 3711 §8.2, RFC 5764 §4.1.2).</summary>
    public const int MasterKeyLength = 16;

    /// <summary>The master salt length (RFC 3711 §8.2: 112 bits).</summary>
    public const int MasterSaltLength = 14;

    /// <summary>The authentication key length of HMAC-SHA1 (RFC 3711 §8.2: 160 bits).</summary>
    public const int AuthenticationKeyLength = 20;

    /// <summary>The auth tag length of ..._HMAC_SHA1_80: 80 bits.</summary>
    public const int AuthTagLength = 10;

    /// <summary>The E flag and SRTCP index that SRTCP appends (RFC 3711 §3.4).</summary>
    public const int SrtcpIndexLength = 4;

    private readonly Dictionary<uint, Stream> _streams = [];

    /// <summary>Derives the six session keys (RFC 3711 §4.3) from a 16-byte <paramref name="masterKey"/> and a 14-byte <paramref name="masterSalt"/>.</summary>
    public SrtpContext(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
    {
        RtpEncryptionKey = SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtpEncryption, MasterKeyLength);
        RtpAuthenticationKey = SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtpAuthentication, AuthenticationKeyLength);
        RtpSaltingKey = SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtpSalt, MasterSaltLength);
        RtcpEncryptionKey = SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtcpEncryption, MasterKeyLength);
        RtcpAuthenticationKey = SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtcpAuthentication, AuthenticationKeyLength);
        RtcpSaltingKey = SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtcpSalt, MasterSaltLength);
    }

    /// <summary>The SRTP session encryption key (label 0).</summary>
    public byte[] RtpEncryptionKey { get; }

    /// <summary>The SRTP session authentication key (label 1).</summary>
    public byte[] RtpAuthenticationKey { get; }

    /// <summary>The SRTP session salting key (label 2).</summary>
    public byte[] RtpSaltingKey { get; }

    /// <summary>The SRTCP session encryption key (label 3).</summary>
    public byte[] RtcpEncryptionKey { get; }

    /// <summary>The SRTCP session authentication key (label 4).</summary>
    public byte[] RtcpAuthenticationKey { get; }

    /// <summary>The SRTCP session salting key (label 5).</summary>
    public byte[] RtcpSaltingKey { get; }

    /// <summary>Packets dropped because they were too short or their RTP/RTCP header did not fit.</summary>
    public long MalformedPackets { get; private set; }

    /// <summary>Packets dropped because their auth tag was wrong.</summary>
    public long AuthenticationFailures { get; private set; }

    /// <summary>Packets dropped as replays: seen before, or older than the replay window.</summary>
    public long ReplayedPackets { get; private set; }

    /// <summary>The rollover counter of <paramref name="ssrc"/> in this context (0 for an SSRC not seen).</summary>
    public uint RolloverCounter(uint ssrc) => _streams.TryGetValue(ssrc, out var s) ? s.Index.RolloverCounter : 0;

    /// <summary>
    /// The length of the RTP header of <paramref name="packet"/> (RFC 3550 §5.1, §5.3.1): 12 bytes, 4 per CSRC, and the
    /// header extension (4 bytes plus 4 × its length) when X is set. Throws <see cref="WebRtcException"/> when it does not fit.
    /// </summary>
    public static int RtpHeaderLength(ReadOnlySpan<byte> packet)
    {
        throw new NotImplementedException("Lab 09 · M3: 12 + 4 × CC (low 4 bits of byte 0); with X (bit 0x10) add 4 + 4 × the 16-bit length at that point; check each step fits in the packet — README §SRTP");
    }

    /// <summary>Encrypts and authenticates one RTP packet (RFC 3711 §3.3): the SRTP packet, 10 bytes longer.</summary>
    public byte[] ProtectRtp(ReadOnlySpan<byte> rtp)
    {
        throw new NotImplementedException("Lab 09 · M3: estimate the index from the sequence number and update the ROC; encrypt the payload (after the header) with the IV of (SSRC, index); append HMAC-SHA1 over the packet and the 4-byte ROC, cut to 10 bytes — README §SRTP");
    }

    /// <summary>
    /// Checks and decrypts one SRTP packet (RFC 3711 §3.3): the RTP packet, or null when it is dropped — too short,
    /// a replay (§3.3.2), or a wrong auth tag — and counted.
    /// </summary>
    public byte[]? UnprotectRtp(ReadOnlySpan<byte> srtp)
    {
        throw new NotImplementedException("Lab 09 · M3: header length (malformed → count, null); estimate the index; replay check; recompute the tag with the estimated ROC and compare in constant time; only then decrypt, accept the index and update the ROC — README §SRTP");
    }

    /// <summary>Encrypts and authenticates one RTCP compound packet (RFC 3711 §3.4): E = 1, the next SRTCP index of its SSRC.</summary>
    public byte[] ProtectRtcp(ReadOnlySpan<byte> rtcp)
    {
        if (rtcp.Length < 8)
        {
            throw new WebRtcException("RTCP", "header", 0, $"an RTCP packet starts with 8 bytes (header and sender SSRC, RFC 3550 §6.4); got {rtcp.Length}");
        }

        throw new NotImplementedException("Lab 09 · M3: take the SSRC's next SRTCP index (from 0, then + 1 mod 2^31); encrypt everything after the first 8 bytes; append E|index (0x80000000 | index) and HMAC-SHA1 over all of that, cut to 10 bytes — README §SRTCP");
    }

    /// <summary>
    /// Checks and decrypts one SRTCP packet (RFC 3711 §3.4): the RTCP compound packet, or null when it is dropped
    /// (too short, replayed SRTCP index, wrong auth tag) and counted. A packet with E = 0 was not encrypted.
    /// </summary>
    public byte[]? UnprotectRtcp(ReadOnlySpan<byte> srtcp)
    {
        throw new NotImplementedException("Lab 09 · M3: at least 8 + 4 + 10 bytes; read E and the 31-bit index before the tag; replay check per SSRC; tag over all but the tag; then decrypt bytes 8.. when E is set, accept the index — README §SRTCP");
    }

    private Stream StreamOf(uint ssrc)
    {
        if (!_streams.TryGetValue(ssrc, out var stream))
        {
            stream = new Stream();
            _streams[ssrc] = stream;
        }

        return stream;
    }

    /// <summary>The state RFC 3711 §3.2.3 keeps per SSRC.</summary>
    private sealed class Stream
    {
        public SrtpIndexEstimator Index { get; } = new();

        public ReplayWindow RtpReplay { get; } = new();

        public ReplayWindow RtcpReplay { get; } = new();

        public uint NextSrtcpIndex { get; set; }
    }
}
