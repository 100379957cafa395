#!/bin/sh
# Re-creates Lab 05's clips and oracles with ffmpeg/ffprobe 5.1 (Debian 12).
# Run from the repository root:  sh testdata/05-hls/make.sh
# libx264 with one thread and ffmpeg's AAC encoder are deterministic with +bitexact: the same ffmpeg gives the same bytes
# (with several threads x264 decides differently from run to run on a loaded machine).
set -eu
cd "$(dirname "$0")"
BITEXACT="-fflags +bitexact -flags:v +bitexact -flags:a +bitexact"

# av.flv: H.264 High with B-frames + AAC-LC 22.05 kHz, 6 s, a keyframe every 15 frames (1 s GOP).
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i testsrc2=size=160x96:rate=15 -f lavfi -i sine=frequency=440:sample_rate=22050 \
  -t 6 -c:v libx264 -threads 1 -preset veryfast -bf 2 -g 15 -keyint_min 15 -sc_threshold 0 -pix_fmt yuv420p -c:a aac -b:a 32k $BITEXACT av.flv

# nokey.flv: video only, 4 s at 10 fps with a single keyframe at the start (no keyframe for 4 s).
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i testsrc2=size=128x72:rate=10 -t 4 -c:v libx264 -threads 1 -preset veryfast -profile:v baseline -g 1000 -keyint_min 1000 -sc_threshold 0 \
  -pix_fmt yuv420p $BITEXACT nokey.flv

# What ffprobe says about the sources: every packet (pts, dts in the stream's time base, size, flags).
for clip in av nokey; do
  ffprobe -v error -show_entries packet=codec_type,pts,dts,size,flags -show_entries stream=index,codec_type,codec_name,profile,level,width,height,time_base \
    -of json $clip.flv > $clip.flv.probe.json
done

# ffmpeg.ts: ffmpeg's own MPEG-TS muxer on av.flv (the reader's oracle), and what ffprobe reads from it.
ffmpeg -hide_banner -loglevel error -y -i av.flv -c copy $BITEXACT -f mpegts ffmpeg.ts
ffprobe -v error -show_entries packet=codec_type,pts,dts,size,flags,pos -show_entries stream=index,codec_type,codec_name,id \
  -of json ffmpeg.ts > ffmpeg.ts.probe.json

# hls/: ffmpeg's own HLS muxer on av.flv, 2 s target (the roadmap's command with -c copy): the playlist parser's and
# the segmenter's oracle.
rm -rf hls && mkdir hls
ffmpeg -hide_banner -loglevel error -y -i av.flv -c copy $BITEXACT -f hls -hls_time 2 -hls_playlist_type vod \
  -hls_segment_filename hls/seg%d.ts hls/index.m3u8

# live.m3u8: a live playlist as ffmpeg writes it (a 3-segment window over 1 s segments, the last state).
rm -rf live && mkdir live
ffmpeg -hide_banner -loglevel error -y -i av.flv -c copy $BITEXACT -f hls -hls_time 1 -hls_list_size 3 -hls_flags delete_segments \
  -hls_segment_filename live/seg%d.ts live/index.m3u8
cp live/index.m3u8 live.m3u8 && rm -rf live
