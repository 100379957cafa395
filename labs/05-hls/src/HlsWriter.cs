using System.Globalization;

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
