namespace Lab02.RtmpChunks;

/// <summary>
/// When to send an Acknowledgement (RTMP 1.0 §5.4.3, §5.4.4): after the peer's Window Acknowledgement
/// Size, the receiver acknowledges each time the bytes received since its last acknowledgement reach
/// the window. The sequence number is the total number of bytes received so far.
/// </summary>
public sealed class AcknowledgementWindow
{
    private long _lastAcknowledged;

    /// <summary>The window the peer set (0: none set yet, never acknowledge).</summary>
    public uint WindowSize { get; set; }

    /// <summary>
    /// Tells the window that <paramref name="totalReceived"/> bytes have now been received. Returns true,
    /// with the sequence number to send, when an acknowledgement is due.
    /// </summary>
    public bool ShouldAcknowledge(long totalReceived, out uint sequenceNumber)
    {
        #region lab M2: due when WindowSize > 0 and totalReceived - the last acknowledged total >= WindowSize; the sequence number is totalReceived (mod 2^32) — README §Acknowledgement
        sequenceNumber = 0;
        if (WindowSize == 0 || totalReceived - _lastAcknowledged < WindowSize)
        {
            return false;
        }

        _lastAcknowledged = totalReceived;
        sequenceNumber = unchecked((uint)totalReceived); // a 4-byte field: it wraps after 4 GiB
        return true;
        #endregion
    }
}
