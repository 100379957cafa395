namespace Lab05.Hls;

/// <summary>Which elementary stream a sample belongs to.</summary>
public enum TrackKind
{
    /// <summary>H.264 video: a sample is one access unit in Annex B.</summary>
    Video,

    /// <summary>AAC audio: a sample is one ADTS frame (header included).</summary>
    Audio,
}

/// <summary>
/// One access unit or audio frame on its way into the transport stream, with its timestamps in the 90 kHz clock of
/// PES (not yet wrapped to 33 bits: the muxer does that).
/// </summary>
/// <param name="Track">Video or audio.</param>
/// <param name="Pts">Presentation time, 90 kHz.</param>
/// <param name="Dts">Decoding time, 90 kHz (= Pts for audio and for streams without B-frames).</param>
/// <param name="IsKeyFrame">An IDR access unit (always true for audio).</param>
/// <param name="Data">The access unit in Annex B (start codes; SPS and PPS in front of an IDR), or one ADTS frame.</param>
public readonly record struct MediaSample(TrackKind Track, long Pts, long Dts, bool IsKeyFrame, ReadOnlyMemory<byte> Data);
