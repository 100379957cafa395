#!/bin/sh
# Re-creates the committed test media from ffmpeg's built-in test sources (no input files needed).
# Run from the repository root:  sh testdata/make.sh
set -eu
cd "$(dirname "$0")"

# clip-2s.flv: 2 s of H.264 (testsrc2, 320x180 @ 25 fps, a keyframe every second) + AAC-LC (440 Hz sine).
# Used by Lab 01 as the input ffmpeg publishes to the lab's RTMP server.
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i testsrc2=size=320x180:rate=25 \
  -f lavfi -i sine=frequency=440:sample_rate=44100 \
  -t 2 -c:v libx264 -preset veryfast -g 25 -pix_fmt yuv420p \
  -c:a aac -b:a 64k \
  -fflags +bitexact -flags:v +bitexact -flags:a +bitexact \
  clip-2s.flv
