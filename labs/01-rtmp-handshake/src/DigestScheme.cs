namespace Lab01.RtmpHandshake;

/// <summary>
/// Where the 32-byte digest sits in a Flash-style C1 or S1 (README §Digest). Both schemes split the
/// 1528 bytes after time and version into two 764-byte halves; the digest's offset is the sum of four
/// bytes, modulo 728, past those four bytes.
/// </summary>
public enum DigestScheme
{
    /// <summary>Offset bytes at 8–11; digest at (sum mod 728) + 12. ffmpeg's C1 uses this one.</summary>
    Scheme0 = 0,

    /// <summary>Offset bytes at 772–775; digest at (sum mod 728) + 776.</summary>
    Scheme1 = 1,
}
