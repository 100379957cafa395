namespace Lab09.WebRtc;

/// <summary>One attribute of a parsed STUN message (RFC 8489 §14): its type, where its header starts, and its value (without padding).</summary>
/// <param name="Type">The attribute type (<see cref="StunAttributeType"/>).</param>
/// <param name="Offset">The offset, in the message, of the attribute's 4-byte header.</param>
/// <param name="Value">The value, Length bytes, padding left out.</param>
public readonly record struct StunAttribute(ushort Type, int Offset, ReadOnlyMemory<byte> Value);
