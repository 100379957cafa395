#!/bin/sh
# Lab 00's media: two tiny clips made by ffmpeg/libx264, a logo to overlay, a file that is not media,
# and what ffprobe says about the clips (the oracles the tests read). Run from the repository root:
#   sh testdata/00-ffmpeg-toolbox/make.sh
# Made with ffmpeg 5.1 (Debian 12) and its libx264; another x264 gives other bytes, so re-running this
# means re-committing the oracle JSON files beside the clips.
set -eu
cd "$(dirname "$0")"
X="ffmpeg -hide_banner -loglevel error -y"
V="-f lavfi -i testsrc2=size=320x180:rate=25"
A="-f lavfi -i sine=frequency=440:sample_rate=44100"

# bframes.mp4: 3 s, H.264 High 320x180 @ 25 fps with B-frames (up to 3), a closed GOP of exactly 25 frames
# (-sc_threshold 0: no extra keyframes at scene cuts), + AAC-LC mono 64 kb/s. Tests, thumbnails, trimming and
# the preset x CRF grid use it.
$X $V $A -t 3 -c:v libx264 -preset veryfast -profile:v high -bf 3 -g 25 -keyint_min 25 -sc_threshold 0 -pix_fmt yuv420p \
   -c:a aac -b:a 64k -ac 1 -movflags +faststart bframes.mp4
# no-bframes.ts: 2 s, MPEG-TS, H.264 Constrained Baseline 320x180 @ 25 fps (no B-frames), a keyframe every 10 frames,
# no audio.
$X $V -t 2 -c:v libx264 -preset veryfast -profile:v baseline -g 10 -keyint_min 10 -sc_threshold 0 -pix_fmt yuv420p no-bframes.ts
# logo.png: a 40x24 opaque pure-red image (RGB 255,0,0) to overlay as a watermark.
$X -f lavfi -i color=c=red:size=40x24 -frames:v 1 -pix_fmt rgb24 logo.png
# not-media.txt: text, which ffprobe cannot open as media.
printf 'This is not a media file: ffprobe finds no format in it.\n' > not-media.txt

# The oracles: ffprobe's container and stream view, every video packet (flags: K = keyframe), and every video
# frame's picture type (I, P or B).
for f in bframes.mp4 no-bframes.ts; do
  b="${f%.*}"
  ffprobe -v error -show_format -show_streams -of json "$f" > "$b.probe.json"
  ffprobe -v error -select_streams v:0 -show_packets -show_entries packet=pts,pts_time,dts,flags,size -of json "$f" > "$b.packets.json"
  ffprobe -v error -select_streams v:0 -show_frames -show_entries frame=pts,pts_time,key_frame,pict_type -of json "$f" > "$b.frames.json"
done
