namespace Lab08.Sfu;

/// <summary>
/// Turns the payloads of consecutive RTP packets back into H.264 NAL units (RFC 6184 §5.6 single NAL unit,
/// §5.7.1 STAP-A, §5.8 FU-A). An FU-A is put together from its fragments; a gap in the sequence numbers in the
/// middle of one throws away that NAL unit (the next S fragment starts a fresh one).
/// </summary>
public sealed class H264Depacketizer
{
    private readonly List<byte> _fragments = [];
    private bool _inFragment;
    private ushort _lastSequence;
    private bool _any;

    /// <summary>How many fragmented NAL units were dropped because a fragment was lost.</summary>
    public int DroppedFragmentedUnits { get; private set; }

    /// <summary>
    /// Takes the next packet (in sequence order) and returns the NAL units it completes, each without a start code.
    /// </summary>
    /// <exception cref="RtpException">A STAP-A or FU-A that runs past its payload, or a NAL type this lab does not
    /// handle (STAP-B, MTAP, FU-B: types 25–27, 29).</exception>
    public IReadOnlyList<byte[]> Push(RtpPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        #region lab M1: single NAL (1-23) → itself; STAP-A → each (size, NAL) pair; FU-A → collect from S to E, rebuilding the NAL header from the indicator's F|NRI and the FU header's type; drop a unit after a sequence gap — README §H.264 payload
        var payload = packet.Payload.Span;
        bool gap = _any && packet.SequenceNumber != (ushort)(_lastSequence + 1);
        _any = true;
        _lastSequence = packet.SequenceNumber;
        if (gap && _inFragment)
        {
            _inFragment = false;
            _fragments.Clear();
            DroppedFragmentedUnits++;
        }

        var units = new List<byte[]>();
        if (payload.Length == 0)
        {
            return units;
        }

        int type = H264Payload.NalType(payload[0]);
        if (type is >= 1 and <= 23)
        {
            units.Add(payload.ToArray());
        }
        else if (type == H264Payload.StapA)
        {
            int at = 1;
            while (at < payload.Length)
            {
                int size = at + 2 <= payload.Length ? (payload[at] << 8) | payload[at + 1] : -1;
                if (size <= 0 || at + 2 + size > payload.Length)
                {
                    throw new RtpException("stap-a", at, $"A STAP-A NAL unit size at payload offset {at} runs past the end ({payload.Length} bytes).");
                }

                units.Add(payload.Slice(at + 2, size).ToArray());
                at += 2 + size;
            }
        }
        else if (type == H264Payload.FuA)
        {
            if (payload.Length < 2)
            {
                throw new RtpException("fu-a", 1, "An FU-A needs the FU indicator and the FU header (RFC 6184 §5.8).");
            }

            bool start = (payload[1] & 0x80) != 0;
            bool end = (payload[1] & 0x40) != 0;
            if (start)
            {
                if (_inFragment)
                {
                    DroppedFragmentedUnits++;
                }

                _fragments.Clear();
                // RFC 6184 §5.8: the NAL header is F|NRI of the indicator and the type of the FU header.
                _fragments.Add((byte)((payload[0] & 0xE0) | (payload[1] & 0x1F)));
                _inFragment = true;
            }

            if (_inFragment)
            {
                foreach (byte b in payload[2..])
                {
                    _fragments.Add(b);
                }

                if (end)
                {
                    units.Add([.. _fragments]);
                    _fragments.Clear();
                    _inFragment = false;
                }
            }
        }
        else
        {
            throw new RtpException("nal type", 0, $"NAL unit type {type} (STAP-B, MTAP or FU-B) is not used in packetization-mode 1 (RFC 6184 §6.3).");
        }

        return units;
        #endregion
    }
}
