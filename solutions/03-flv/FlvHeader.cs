using System.Buffers.Binary;

namespace Lab03.Flv;

/// <summary>
/// The 9-byte FLV header (FLV spec v10.1, Annex E.2): "FLV", version 1, the audio/video flags and
/// the offset of the body (9 in every version-1 file).
/// </summary>
/// <param name="Version">UI8 version, 1.</param>
/// <param name="HasAudio">TypeFlagsAudio (bit 2 of byte 4).</param>
/// <param name="HasVideo">TypeFlagsVideo (bit 0 of byte 4).</param>
/// <param name="DataOffset">UI32 DataOffset: the header's size, where PreviousTagSize0 starts.</param>
public readonly record struct FlvHeader(byte Version, bool HasAudio, bool HasVideo, uint DataOffset)
{
    /// <summary>The size of a version-1 header (E.2).</summary>
    public const int Size = 9;

    /// <summary>A version-1 header with the given flags.</summary>
    public static FlvHeader Create(bool hasAudio, bool hasVideo) => new(1, hasAudio, hasVideo, Size);

    /// <summary>Reads the header from the first 9 bytes of a file.</summary>
    /// <exception cref="FlvFormatException">Fewer than 9 bytes, a signature other than "FLV", or a DataOffset below 9.</exception>
    public static FlvHeader Parse(ReadOnlySpan<byte> file)
    {
        #region lab M2: check the 3-byte signature "FLV", then read Version (byte 3), the flags (byte 4: audio 0x04, video 0x01) and DataOffset (UI32 at 5) — README §Header
        if (file.Length >= 3 && (file[0] != (byte)'F' || file[1] != (byte)'L' || file[2] != (byte)'V'))
        {
            int at = file[0] != 'F' ? 0 : file[1] != 'L' ? 1 : 2;
            throw new FlvFormatException(at, "the signature \"FLV\" (46 4c 56)", $"Not an FLV file: it starts with {Convert.ToHexString(file[..3])}.");
        }

        if (file.Length < Size)
        {
            throw new FlvFormatException(file.Length, "a 9-byte FLV header", $"The file ends after {file.Length} bytes, inside the FLV header.");
        }

        byte flags = file[4];
        uint dataOffset = BinaryPrimitives.ReadUInt32BigEndian(file[5..]);
        if (dataOffset < Size)
        {
            throw new FlvFormatException(5, "DataOffset ≥ 9", $"DataOffset is {dataOffset}, smaller than the header itself.");
        }

        return new FlvHeader(file[3], (flags & 0x04) != 0, (flags & 0x01) != 0, dataOffset);
        #endregion
    }

    /// <summary>Writes the 9 header bytes.</summary>
    public void Write(Span<byte> destination)
    {
        #region lab M5: "FLV", Version, flags (audio 0x04 | video 0x01), DataOffset big-endian — README §Header
        destination[0] = (byte)'F';
        destination[1] = (byte)'L';
        destination[2] = (byte)'V';
        destination[3] = Version;
        destination[4] = (byte)((HasAudio ? 0x04 : 0) | (HasVideo ? 0x01 : 0));
        BinaryPrimitives.WriteUInt32BigEndian(destination[5..], DataOffset);
        #endregion
    }
}
