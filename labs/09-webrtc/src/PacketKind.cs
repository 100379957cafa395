namespace Lab09.WebRtc;

/// <summary>What a datagram on the one UDP port of a WebRTC transport is (RFC 7983 §7).</summary>
public enum PacketKind
{
    /// <summary>None of the protocols below (empty, or a first byte in no range): dropped.</summary>
    Unknown,

    /// <summary>First byte 0–3: STUN (ICE connectivity checks).</summary>
    Stun,

    /// <summary>First byte 16–19: ZRTP (not used by WebRTC).</summary>
    Zrtp,

    /// <summary>First byte 20–63: DTLS records (the handshake that agrees the SRTP keys).</summary>
    Dtls,

    /// <summary>First byte 64–79: TURN ChannelData (not used by an ICE-lite server).</summary>
    TurnChannel,

    /// <summary>First byte 128–191 and a payload type outside 64–95: (S)RTP media.</summary>
    Rtp,

    /// <summary>First byte 128–191 and second byte 192–223: (S)RTCP (RFC 5761 §4).</summary>
    Rtcp,
}
