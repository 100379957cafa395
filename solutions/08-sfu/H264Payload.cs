namespace Lab08.Sfu;

/// <summary>
/// What an SFU needs to know about an H.264 RTP payload (RFC 6184 §5.2): its NAL unit type (the low 5 bits of
/// the first byte), the two packet kinds that carry more or less than one NAL unit, and whether a packet
/// starts a keyframe.
/// </summary>
public static class H264Payload
{
    /// <summary>Coded slice of an IDR picture (H.264 Table 7-1).</summary>
    public const int IdrSlice = 5;

    /// <summary>Sequence parameter set (H.264 Table 7-1).</summary>
    public const int Sps = 7;

    /// <summary>Picture parameter set (H.264 Table 7-1).</summary>
    public const int Pps = 8;

    /// <summary>Single-time aggregation packet (RFC 6184 §5.7.1).</summary>
    public const int StapA = 24;

    /// <summary>Fragmentation unit A (RFC 6184 §5.8).</summary>
    public const int FuA = 28;

    /// <summary>The 5-bit type of a NAL unit header or payload header byte.</summary>
    public static int NalType(byte header) => header & 0x1F;

    /// <summary>
    /// True when the payload starts a keyframe: it carries an SPS or an IDR slice as a single NAL unit or inside a
    /// STAP-A, or it is the first fragment (S = 1) of an FU-A whose NAL unit is an IDR slice or an SPS.
    /// </summary>
    /// <exception cref="RtpException">A STAP-A whose NAL unit sizes run past the end of the payload.</exception>
    public static bool IsKeyframe(ReadOnlySpan<byte> payload)
    {
        #region lab M1: look at the NAL type; for STAP-A walk the (16-bit size, NAL unit) pairs; for FU-A check S and the FU header's type — README §H.264 payload
        if (payload.Length < 1)
        {
            return false;
        }

        int type = NalType(payload[0]);
        switch (type)
        {
            case IdrSlice or Sps:
                return true;
            case StapA:
                int at = 1;
                while (at < payload.Length)
                {
                    if (at + 2 > payload.Length)
                    {
                        throw new RtpException("stap-a", at, $"A STAP-A NAL unit size at payload offset {at} runs past the end ({payload.Length} bytes).");
                    }

                    int size = (payload[at] << 8) | payload[at + 1];
                    if (size == 0 || at + 2 + size > payload.Length)
                    {
                        throw new RtpException("stap-a", at, $"A STAP-A NAL unit of {size} bytes at payload offset {at} runs past the end ({payload.Length} bytes).");
                    }

                    if (NalType(payload[at + 2]) is IdrSlice or Sps)
                    {
                        return true;
                    }

                    at += 2 + size;
                }

                return false;
            case FuA:
                // RFC 6184 §5.8: FU header = S | E | R | type.
                return payload.Length >= 2 && (payload[1] & 0x80) != 0 && NalType(payload[1]) is IdrSlice or Sps;
            default:
                return false;
        }
        #endregion
    }
}
