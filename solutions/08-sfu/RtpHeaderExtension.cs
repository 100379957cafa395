namespace Lab08.Sfu;

/// <summary>
/// One element of an RFC 8285 header extension: a local identifier and its data. In the one-byte form
/// (profile 0xBEDE, RFC 8285 §4.2) the id is 1–14 and the data 1–16 bytes; in the two-byte form
/// (profile 0x100X, §4.3) the id is 1–255 and the data 0–255 bytes.
/// </summary>
/// <param name="Id">The extension's local identifier, mapped to a URI by the SDP's a=extmap.</param>
/// <param name="Data">The element's data.</param>
public sealed record RtpHeaderExtension(byte Id, ReadOnlyMemory<byte> Data);
