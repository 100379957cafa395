namespace Lab02.RtmpChunks;

/// <summary>
/// Reads whole messages from a stream (the socket after the handshake) with a <see cref="ChunkReader"/>.
/// Given code: it only moves bytes; the chunk format is <see cref="ChunkReader.TryReadChunk"/>'s job.
/// </summary>
public sealed class ChunkStreamReader
{
    private readonly Stream _stream;
    /// <summary>The read buffer's first size: a few chunks at the sizes real peers use (128, 4096).</summary>
    private const int InitialBufferLength = 16 * 1024;

    // Grows only when one chunk does not fit: a chunk is at most a header and the rest of its message, so
    // the buffer stays below MaxHeaderLength + the reader's MaxMessageLength whatever chunk size the peer sets.
    private byte[] _buffer = new byte[InitialBufferLength];
    private int _start;
    private int _end;

    /// <summary>Reads from <paramref name="stream"/> with <paramref name="reader"/>.</summary>
    public ChunkStreamReader(Stream stream, ChunkReader? reader = null)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        Reader = reader ?? new ChunkReader();
    }

    /// <summary>The chunk reader (its chunk size, its position).</summary>
    public ChunkReader Reader { get; }

    /// <summary>The bytes received from the stream so far (what an Acknowledgement counts).</summary>
    public long BytesReceived => Reader.Position;

    /// <summary>
    /// Reads the next whole message. Returns null when the peer closed the connection between chunks
    /// with no message half received.
    /// </summary>
    /// <exception cref="RtmpException">Malformed chunks, or the peer closed inside a chunk or a message.</exception>
    public async ValueTask<RtmpMessage?> ReadMessageAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            while (_start < _end && Reader.TryReadChunk(_buffer.AsSpan(_start, _end - _start), out int consumed, out var message))
            {
                _start += consumed;
                if (message is not null)
                {
                    return message;
                }
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                // The buffer holds part of one chunk that is longer than the buffer (a large Set Chunk Size).
                // The reader refuses a message over MaxMessageLength before that many bytes arrive, so the
                // chunk ends within MaxHeaderLength + MaxMessageLength bytes.
                int limit = ChunkReader.MaxHeaderLength + Reader.MaxMessageLength;
                if (_buffer.Length >= limit)
                {
                    throw new RtmpException("chunk", Reader.Position,
                        $"No chunk fits in {_buffer.Length} bytes at offset {Reader.Position}: a chunk is at most a header and its message's {Reader.MaxMessageLength} bytes (README §Limits).");
                }

                Array.Resize(ref _buffer, (int)Math.Min(2L * _buffer.Length, limit));
            }

            int read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                if (_end == 0 && !Reader.HasPartialMessage)
                {
                    return null;
                }

                throw new RtmpException("chunk", Reader.Position + _end,
                    $"The peer closed the connection at offset {Reader.Position + _end} in the middle of {(_end > 0 ? $"a chunk ({_end} bytes of it arrived)" : "a message")} (README §Reassembly).");
            }

            _end += read;
        }
    }
}
