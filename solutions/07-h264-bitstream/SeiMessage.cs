using System.Text;

namespace Lab07.H264Bitstream;

/// <summary>
/// One SEI message (supplemental enhancement information, §7.3.2.3.1, Annex D): a payload type and
/// its bytes. Types seen in practice: 0 buffering period, 1 picture timing, 4 user data registered
/// (captions), 5 user data unregistered (x264 writes its version and settings there), 6 recovery point.
/// </summary>
/// <param name="PayloadType">payloadType: the sum of the 0xFF bytes and the last byte.</param>
/// <param name="Payload">The payload's bytes (payloadSize of them, from the RBSP).</param>
public sealed record SeiMessage(int PayloadType, byte[] Payload)
{
    /// <summary>payloadType 5: user_data_unregistered.</summary>
    public const int UserDataUnregisteredType = 5;

    /// <summary>payloadType 6: recovery_point.</summary>
    public const int RecoveryPointType = 6;

    /// <summary>Annex D's name for the payload type.</summary>
    public string Name => PayloadType switch
    {
        0 => "buffering period",
        1 => "picture timing",
        4 => "user data registered (ITU-T T.35)",
        5 => "user data unregistered",
        6 => "recovery point",
        _ => $"payload type {PayloadType}",
    };

    /// <summary>
    /// Parses every SEI message of an SEI NAL unit (header byte first, still escaped): payload type and
    /// size are each a run of 0xFF bytes (255 each) plus a last byte; messages follow until more_rbsp_data() is false.
    /// </summary>
    /// <exception cref="H264FormatException">A payload runs past the end of the NAL unit (at the size field), or it is not an SEI.</exception>
    public static List<SeiMessage> ParseAll(ReadOnlySpan<byte> nal, int nalIndex = -1)
    {
        var rbsp = EmulationPrevention.ToRbsp(nal);
        var reader = new RbspReader(rbsp, nalIndex);
        #region lab M4: header (type 6); then while MoreRbspData(): payloadType = 255 per ff_byte + last_payload_type_byte, payloadSize likewise; check the size fits (else an error at the size's first byte), take that many bytes; end with ReadTrailingBits — README §SEI
        if (reader.BitsLeft < 8)
        {
            throw reader.Error("An empty NAL unit where an SEI should be", "nal_unit_header");
        }

        var header = NalUnitHeader.Parse((byte)reader.ReadBits(8, "nal_unit_header"));
        if (header.Type != NalUnitType.Sei)
        {
            throw reader.Error($"Not an SEI: nal_unit_type is {(int)header.Type} ({header.Name})", "nal_unit_type", 3);
        }

        var messages = new List<SeiMessage>();
        while (reader.MoreRbspData())
        {
            int type = ReadSeiNumber(ref reader, "last_payload_type_byte");
            long sizeAt = reader.BitPosition;
            int size = ReadSeiNumber(ref reader, "last_payload_size_byte");
            if (size * 8L > reader.BitsLeft)
            {
                throw reader.Error($"SEI payload type {type} says {size} bytes; {reader.BitsLeft / 8} are left in the NAL unit", "payload_size", sizeAt);
            }

            var payload = new byte[size];
            for (int i = 0; i < size; i++)
            {
                payload[i] = (byte)reader.ReadBits(8, "payload_byte");
            }

            messages.Add(new SeiMessage(type, payload));
        }

        reader.ReadTrailingBits();
        return messages;
        #endregion
    }

    private static int ReadSeiNumber(ref RbspReader reader, string field)
    {
        int value = 0;
        uint b;
        while ((b = reader.ReadBits(8, field)) == 0xFF) // ff_byte, §7.3.2.3.1
        {
            value += 255;
        }

        return value + (int)b;
    }

    /// <summary>user_data_unregistered (§D.1.7): a 16-byte UUID, then bytes — x264's are a NUL-terminated text.</summary>
    /// <returns>The UUID in hex and the bytes after it as text (up to a NUL), or null when this is another payload type or shorter than 16 bytes.</returns>
    public (string Uuid, string Text)? AsUserDataUnregistered()
    {
        #region lab M4: only for payload type 5 with at least 16 bytes: the UUID is bytes 0–15 (as lowercase hex), the text is the bytes after it up to the first 0 (ASCII/UTF-8) — README §SEI
        if (PayloadType != UserDataUnregisteredType || Payload.Length < 16)
        {
            return null;
        }

        var text = Payload.AsSpan(16);
        int nul = text.IndexOf((byte)0);
        return (Convert.ToHexString(Payload, 0, 16).ToLowerInvariant(), Encoding.UTF8.GetString(nul < 0 ? text : text[..nul]));
        #endregion
    }

    /// <summary>recovery_point (§D.1.8): from this access unit, decoding is right after recovery_frame_cnt frames (0: at once).</summary>
    /// <returns>The fields, or null for another payload type.</returns>
    /// <exception cref="H264FormatException">The payload is cut short.</exception>
    public RecoveryPoint? AsRecoveryPoint()
    {
        #region lab M4: only for payload type 6: recovery_frame_cnt ue(v), exact_match_flag, broken_link_flag u(1), changing_slice_group_idc u(2) — README §SEI
        if (PayloadType != RecoveryPointType)
        {
            return null;
        }

        var reader = new RbspReader(Payload);
        return new RecoveryPoint(
            (int)reader.ReadUe("recovery_frame_cnt"),
            reader.ReadFlag("exact_match_flag"),
            reader.ReadFlag("broken_link_flag"),
            (int)reader.ReadBits(2, "changing_slice_group_idc"));
        #endregion
    }
}

/// <summary>The recovery point SEI's fields (§D.1.8).</summary>
/// <param name="RecoveryFrameCnt">recovery_frame_cnt: frames until the output is exact (0 for x264's open-GOP I frames).</param>
/// <param name="ExactMatch">exact_match_flag.</param>
/// <param name="BrokenLink">broken_link_flag.</param>
/// <param name="ChangingSliceGroupIdc">changing_slice_group_idc.</param>
public sealed record RecoveryPoint(int RecoveryFrameCnt, bool ExactMatch, bool BrokenLink, int ChangingSliceGroupIdc);
