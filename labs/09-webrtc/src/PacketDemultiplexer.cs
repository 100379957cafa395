namespace Lab09.WebRtc;

/// <summary>
/// Sorts the datagrams of one UDP port — STUN, DTLS and SRTP/SRTCP all arrive there with BUNDLE and rtcp-mux —
/// by their first byte (RFC 7983 §7), and RTCP from RTP by their second (RFC 5761 §4).
/// </summary>
/// <remarks>
/// <code>
///  first byte   0..3    STUN          16..19  ZRTP        20..63  DTLS
///              64..79   TURN channel  128..191 RTP or RTCP: second byte 192..223 → RTCP, else RTP
///  anything else (4..15, 80..127, 192..255, empty) → drop
/// </code>
/// The ranges work because each protocol's first byte has fixed bits: STUN's top two bits are 0; a DTLS record
/// starts with its content type (20–63 reserved for it, 22 = handshake); RTP's version bits are 2 (0b10xxxxxx).
/// </remarks>
public static class PacketDemultiplexer
{
    /// <summary>What <paramref name="datagram"/> is, from its first bytes only (README §Demultiplexing).</summary>
    public static PacketKind Classify(ReadOnlySpan<byte> datagram)
    {
        throw new NotImplementedException("Lab 09 · M2: the ranges of RFC 7983 §7 on the first byte; for 128–191 look at the second byte: 192–223 is RTCP (RFC 5761 §4), a datagram of one byte is Unknown — README §Demultiplexing");
    }
}
