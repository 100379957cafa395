using System.Globalization;
using Lab03.Flv;

namespace Lab05.Hls;

/// <summary>
/// Writes HLS to a folder: the segments as <c>segN.ts</c> and the playlist as <c>index.m3u8</c> — a VOD playlist of
/// a whole file, or a live window that slides as segments arrive and deletes the files that expire. Given code:
/// it puts your segmenter and playlists to work.
/// </summary>
public static class HlsWriter
{
    /// <summary>The playlist's file name.</summary>
    public const string PlaylistName = "index.m3u8";

    /// <summary>A segment's file name.</summary>
    public static string SegmentName(int index) => string.Create(CultureInfo.InvariantCulture, $"seg{index}.ts");

    /// <summary>
    /// Cuts <paramref name="source"/> at <paramref name="hlsTime"/> seconds (forced cuts at 3 × that), writes every segment
    /// and a VOD playlist into <paramref name="folder"/>; returns the playlist.
    /// </summary>
    public static MediaPlaylist WriteVod(FlvSource source, string folder, double hlsTime)
    {
        ArgumentNullException.ThrowIfNull(source);
        Directory.CreateDirectory(folder);
        var segments = Segmenter.CutAll(source, hlsTime, 3 * hlsTime);
        foreach (var segment in segments)
        {
            File.WriteAllBytes(Path.Combine(folder, SegmentName(segment.Index)), segment.Data.ToArray());
        }

        var playlist = MediaPlaylist.Vod(segments.Select(s => new PlaylistSegment(SegmentName(s.Index), s.Duration)).ToList());
        WritePlaylist(folder, playlist);
        return playlist;
    }

    /// <summary>
    /// The fast version of <see cref="WriteVod(FlvSource, string, double)"/> beside it, for a whole FLV file in memory: the
    /// tags are read in place (Lab 03's <see cref="FlvReader"/>), each converted into one reused buffer
    /// (<see cref="FlvSampleConverter.AddReusingBuffer"/>) and muxed at once, and each segment is written to its file as it
    /// closes and its buffer handed back to the segmenter (<see cref="Segmenter.Recycle"/>). Nothing is allocated per
    /// frame or per transport packet once the buffers have grown; only per segment (its record, its file name, the
    /// playlist's line). The same bytes as the simple version.
    /// </summary>
    /// <exception cref="FlvFormatException">The FLV's own errors, as <see cref="FlvSource.Read"/>.</exception>
    public static VodOutput WriteVod(ReadOnlySpan<byte> flvFile, string folder, double hlsTime)
    {
        Directory.CreateDirectory(folder);
        var (hasVideo, hasAudio) = TracksOf(flvFile);
        var segmenter = new Segmenter(hasVideo, hasAudio, hlsTime, 3 * hlsTime);
        var converter = new FlvSampleConverter();
        var listed = new List<PlaylistSegment>();
        int video = 0, audio = 0;
        var reader = new FlvReader(flvFile);
        while (reader.Read(out var tag))
        {
            if (converter.AddReusingBuffer(tag.Header.TagType, tag.Header.Timestamp, tag.Data, tag.Offset + FlvTagHeader.Size) is not { } sample)
            {
                continue;
            }

            if (sample.Track == TrackKind.Video)
            {
                video++;
            }
            else
            {
                audio++;
            }

            if (segmenter.Add(sample) is { } segment)
            {
                WriteAndRecycle(segmenter, segment, folder, listed);
            }
        }

        if (segmenter.Finish() is { } last)
        {
            WriteAndRecycle(segmenter, last, folder, listed);
        }

        var playlist = MediaPlaylist.Vod(listed);
        WritePlaylist(folder, playlist);
        return new VodOutput(playlist, video, audio, segmenter.Muxer.PacketsWritten);
    }

    // Whether the file has an AVC and an AAC sequence header (what FlvSource.HasVideo and HasAudio say after reading it all).
    private static (bool Video, bool Audio) TracksOf(ReadOnlySpan<byte> flvFile)
    {
        bool video = false, audio = false;
        var reader = new FlvReader(flvFile);
        while (reader.Read(out var tag) && !(video && audio))
        {
            long offset = tag.Offset + FlvTagHeader.Size;
            var data = tag.Data;
            video |= tag.Header.TagType == FlvTagType.Video && data.Length > 0 && VideoTagHeader.Parse(data, offset) is { IsExHeader: false, CodecId: VideoCodecId.Avc, IsAvcSequenceHeader: true };
            audio |= tag.Header.TagType == FlvTagType.Audio && data.Length > 0 && AudioTagHeader.Parse(data, offset) is { Format: SoundFormat.Aac, IsAacSequenceHeader: true };
        }

        return (video, audio);
    }

    private static void WriteAndRecycle(Segmenter segmenter, MediaSegment segment, string folder, List<PlaylistSegment> listed)
    {
        string name = SegmentName(segment.Index);
        File.WriteAllBytes(Path.Combine(folder, name), segment.Data.Span);
        listed.Add(new PlaylistSegment(name, segment.Duration));
        segmenter.Recycle(segment);
    }

    /// <summary>
    /// Writes a segment of a live stream into <paramref name="folder"/>, adds it to the window, rewrites the playlist and
    /// deletes the segment files that have expired.
    /// </summary>
    public static void WriteLive(LivePlaylist live, MediaSegment segment, string folder)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(segment);
        string name = SegmentName(segment.Index);
        File.WriteAllBytes(Path.Combine(folder, name), segment.Data.ToArray());
        var expired = live.Add(name, segment.Duration);
        WritePlaylist(folder, live.Snapshot());
        foreach (var old in expired)
        {
            File.Delete(Path.Combine(folder, old.Uri));
        }
    }

    /// <summary>Writes the playlist through a temporary file and a rename, so an HTTP server never serves half a playlist.</summary>
    public static void WritePlaylist(string folder, MediaPlaylist playlist)
    {
        ArgumentNullException.ThrowIfNull(playlist);
        string path = Path.Combine(folder, PlaylistName);
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, playlist.Write());
        File.Move(temporary, path, overwrite: true);
    }
}

/// <summary>What <see cref="HlsWriter.WriteVod(ReadOnlySpan{byte}, string, double)"/> wrote.</summary>
/// <param name="Playlist">The VOD playlist, as written to index.m3u8.</param>
/// <param name="VideoFrames">Access units muxed.</param>
/// <param name="AudioFrames">Audio frames muxed.</param>
/// <param name="Packets">Transport packets written, over all segments.</param>
public sealed record VodOutput(MediaPlaylist Playlist, int VideoFrames, int AudioFrames, long Packets);
