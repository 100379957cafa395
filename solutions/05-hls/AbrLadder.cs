using FFMpegCore;
using FFMpegCore.Enums;

namespace Lab05.Hls;

/// <summary>One rung of an ABR ladder (自适应码率): a size and a capped video bit rate.</summary>
/// <param name="Name">Its folder under the master playlist's folder, "180p".</param>
/// <param name="Width">Its width in pixels (even: H.264 4:2:0).</param>
/// <param name="Height">Its height in pixels (even).</param>
/// <param name="VideoKbps">-b:v = -maxrate, kbit/s; -bufsize is one second of it.</param>
public sealed record AbrRendition(string Name, int Width, int Height, int VideoKbps);

/// <summary>
/// A VOD ABR ladder: one input transcoded by ffmpeg (through FFMpegCore) into renditions that share one fixed GOP, so
/// their keyframes — and so the segmenter's cuts — fall at the same times; each rendition segmented by your segmenter
/// into its own folder with its media playlist, and one master playlist (RFC 8216 §4.3.4.2) that lists them all.
/// </summary>
public static class AbrLadder
{
    /// <summary>The master playlist's file name.</summary>
    public const string MasterName = "master.m3u8";

    /// <summary>
    /// The ffmpeg command of one rendition: H.264 (libx264, yuv420p, no B-frames) scaled to its size, every
    /// <paramref name="gopFrames"/> frames a keyframe and at no other frame, at its capped bit rate, AAC audio, into an FLV.
    /// </summary>
    public static FFMpegArgumentProcessor Transcode(string input, string outputFlv, AbrRendition rendition, int gopFrames)
    {
        ArgumentNullException.ThrowIfNull(rendition);
        #region lab M6: FFMpegArguments.FromFileInput(input).OutputToFile(outputFlv, true, …): libx264, Scale(w, h), -g and -keyint_min = gopFrames with -sc_threshold 0, -b:v = -maxrate = -bufsize = VideoKbps, -bf 0, yuv420p, AAC audio, ForceFormat("flv") — README §ABR ladder
        return FFMpegArguments
            .FromFileInput(input)
            .OutputToFile(outputFlv, overwrite: true, options => options
                .WithVideoCodec(VideoCodec.LibX264)
                .WithCustomArgument("-preset veryfast")
                .WithVideoFilters(filters => filters.Scale(rendition.Width, rendition.Height))
                .WithGopSize(gopFrames)                                                // -g: the longest GOP
                .WithCustomArgument($"-keyint_min {gopFrames} -sc_threshold 0 -bf 0") // and the shortest: keyframes at the same frames in every rendition
                .WithVideoBitrate(rendition.VideoKbps)
                .WithMaxBitrate(rendition.VideoKbps)
                .WithBufferSize(rendition.VideoKbps)                                   // one second of bit rate: the cap holds per segment
                .WithPixelFormat("yuv420p")
                .WithAudioCodec(AudioCodec.Aac)
                .WithAudioBitrate(32)
                .ForceFormat("flv"));
        #endregion
    }

    /// <summary>
    /// Transcodes <paramref name="input"/> into every rendition (<c>folder/NAME.flv</c>), segments each at
    /// <paramref name="hlsTime"/> seconds into <c>folder/NAME/segN.ts</c> with its <c>index.m3u8</c>, and writes
    /// <c>folder/master.m3u8</c> listing the renditions in the order given; returns the master playlist.
    /// </summary>
    /// <exception cref="HlsFormatException">A rendition came out of ffmpeg without H.264 video.</exception>
    public static async Task<MasterPlaylist> WriteAsync(string input, string folder, IReadOnlyList<AbrRendition> renditions, int gopFrames, double hlsTime, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(renditions);
        Directory.CreateDirectory(folder);
        var variants = new List<VariantStream>();
        foreach (var rendition in renditions)
        {
            string flv = Path.Combine(folder, rendition.Name + ".flv");
            await Transcode(input, flv, rendition, gopFrames).CancellableThrough(cancellationToken).ProcessAsynchronously().ConfigureAwait(false);
            var source = FlvSource.Load(flv);
            #region lab M6: require source.Video; cut with Segmenter.CutAll(source, hlsTime, 3 × hlsTime); write segN.ts and the VOD index.m3u8 into folder/NAME; add a VariantStream("NAME/index.m3u8", PeakBandwidth, width, height, CodecsOf(Video, Audio), AverageBandwidthOf) — README §ABR ladder
            if (source.Video is null)
            {
                throw new HlsFormatException(0, "an H.264 video track", $"ffmpeg's {rendition.Name}.flv has no H.264 video, so it has no SPS to name in CODECS.");
            }

            string media = Path.Combine(folder, rendition.Name);
            Directory.CreateDirectory(media);
            var segments = Segmenter.CutAll(source, hlsTime, 3 * hlsTime);
            foreach (var segment in segments)
            {
                await File.WriteAllBytesAsync(Path.Combine(media, HlsWriter.SegmentName(segment.Index)), segment.Data.ToArray(), cancellationToken).ConfigureAwait(false);
            }

            HlsWriter.WritePlaylist(media, MediaPlaylist.Vod(segments.Select(s => new PlaylistSegment(HlsWriter.SegmentName(s.Index), s.Duration)).ToList()));
            variants.Add(new VariantStream($"{rendition.Name}/{HlsWriter.PlaylistName}", VariantStream.PeakBandwidth(segments),
                rendition.Width, rendition.Height, VariantStream.CodecsOf(source.Video, source.Audio), VariantStream.AverageBandwidthOf(segments)));
            #endregion
        }

        var master = new MasterPlaylist(variants);
        await File.WriteAllTextAsync(Path.Combine(folder, MasterName), master.Write(), cancellationToken).ConfigureAwait(false);
        return master;
    }
}
