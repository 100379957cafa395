namespace Lab09.WebRtc;

/// <summary>The class of a STUN message: bits C1 and C0 of the message type (RFC 8489 §5).</summary>
public enum StunClass
{
    /// <summary>0b00: a request; a Binding request is a connectivity check in ICE.</summary>
    Request = 0,

    /// <summary>0b01: an indication, never answered.</summary>
    Indication = 1,

    /// <summary>0b10: a success response.</summary>
    SuccessResponse = 2,

    /// <summary>0b11: an error response, with ERROR-CODE.</summary>
    ErrorResponse = 3,
}
