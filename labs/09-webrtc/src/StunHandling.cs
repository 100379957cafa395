namespace Lab09.WebRtc;

/// <summary>What the ICE-lite agent did with one datagram.</summary>
public enum StunOutcome
{
    /// <summary>A valid Binding request: answered with a success response.</summary>
    Answered,

    /// <summary>A Binding request that failed a check: answered with an error response (400, 401 or 420).</summary>
    ErrorResponse,

    /// <summary>Not answered at all: malformed, not a Binding request, or no valid FINGERPRINT.</summary>
    Dropped,
}

/// <summary>The result of <see cref="IceLiteAgent.Handle"/>.</summary>
/// <param name="Outcome">Answered, answered with an error, or dropped.</param>
/// <param name="Response">The datagram to send back to the source, or null when dropped.</param>
/// <param name="ErrorCode">The ERROR-CODE sent (400, 401, 420), or null.</param>
/// <param name="Reason">Why, in words (for logs and for the learner).</param>
/// <param name="UseCandidate">Whether the request was valid and nominated this pair with USE-CANDIDATE.</param>
/// <param name="RemoteUfrag">The sender's ufrag (after the colon of USERNAME) when the request was valid.</param>
public sealed record StunHandling(StunOutcome Outcome, byte[]? Response, int? ErrorCode, string Reason, bool UseCandidate, string? RemoteUfrag);
