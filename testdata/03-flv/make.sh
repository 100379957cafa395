#!/bin/sh
# Re-creates Lab 03's test clips and their oracles with ffmpeg/ffprobe 5.1 (Debian 12) and python3.
# Run from the repository root:  sh testdata/03-flv/make.sh
# libx264 and ffmpeg's AAC encoder are deterministic with +bitexact: the same ffmpeg gives the same bytes.
set -eu
cd "$(dirname "$0")"
BITEXACT="-fflags +bitexact -flags:v +bitexact -flags:a +bitexact"

# av.flv: H.264 High with B-frames (2 consecutive, so composition offsets) + AAC-LC, 2 s, a keyframe every 15 frames.
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i testsrc2=size=160x96:rate=15 -f lavfi -i sine=frequency=440:sample_rate=22050 \
  -t 2 -c:v libx264 -preset veryfast -bf 2 -g 15 -pix_fmt yuv420p -c:a aac -b:a 32k $BITEXACT av.flv

# audio.flv: AAC-LC only, mono 16 kHz, 1 s.
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i sine=frequency=1000:sample_rate=16000 -t 1 -c:a aac -b:a 24k $BITEXACT audio.flv

# video.flv: H.264 Constrained Baseline only (no B-frames), 1 s at 10 fps, a keyframe every 5 frames.
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i testsrc2=size=128x72:rate=10 -t 1 -c:v libx264 -preset veryfast -profile:v baseline -g 5 \
  -pix_fmt yuv420p $BITEXACT video.flv

# intra.flv: every frame an IDR picture (-g 1): back-to-back IDRs, each of which h264_mp4toannexb gives the SPS/PPS.
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i testsrc2=size=64x48:rate=10 -t 0.5 -c:v libx264 -preset veryfast -profile:v baseline -g 1 \
  -pix_fmt yuv420p $BITEXACT intra.flv

# mp3.flv and pcm.flv: audio tags that are not AAC (SoundFormat 2 MP3, 22.05 kHz mono; SoundFormat 0 PCM, 8-bit, 11.025 kHz stereo).
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i sine=frequency=440:sample_rate=22050 -t 0.3 -c:a libmp3lame -b:a 32k -ac 1 $BITEXACT mp3.flv
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i sine=frequency=440:sample_rate=11025 -t 0.2 -c:a pcm_u8 -ac 2 $BITEXACT pcm.flv

# big.flv: the same H.264 as av.flv at 320x192, used by `changed.flv` below.
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i testsrc2=size=320x192:rate=15 -t 1 -c:v libx264 -preset veryfast -bf 2 -g 15 -pix_fmt yuv420p \
  $BITEXACT big.flv

# Files ffmpeg cannot write, made from the clips above by craft.py (which follows the FLV spec, not the lab's code):
#   nalu3.flv    video.flv with lengthSizeMinusOne = 2 in the AVCDecoderConfigurationRecord and 3-byte NALU lengths
#   repeated.flv av.flv with its AVC and AAC sequence headers sent again, unchanged, after 1 s
#   changed.flv  video.flv followed by big.flv (timestamps shifted by 1000 ms): a new AVC sequence header mid-stream
#   gap.flv      av.flv with a 2 s gap from 1000 ms and a jump back to 500 ms from (original) 1600 ms, for the analysis
#   pps.flv      video.flv with the PPS sent in-band, without an SPS, in the second key frame's access unit
#   inband.flv   intra.flv with SPS+PPS in-band in the 2nd access unit, the SPS alone in the 3rd, the PPS alone in the 4th
python3 craft.py

# The oracles, for every clip.
for f in av audio video nalu3 repeated changed gap intra pps inband mp3 pcm; do
  ffprobe -v error -show_packets -show_streams -of json $f.flv > $f.probe.json
done
hexdump -C video.flv > video.hexdump.txt
# squeeze.bin: a run of identical lines, which hexdump -C collapses into one "*" line.
{ head -c 9 av.flv; head -c 70 /dev/zero; printf 'end'; } > squeeze.bin
hexdump -C squeeze.bin > squeeze.hexdump.txt
hexdump -C audio.flv > audio.hexdump.txt
head -c 100 av.flv | hexdump -C > av-100.hexdump.txt
for f in av video nalu3 repeated changed intra pps inband; do
  ffmpeg -hide_banner -loglevel error -y -i $f.flv -map 0:v -c:v copy -bsf:v h264_mp4toannexb -f h264 $f.h264
done
for f in av audio repeated; do
  ffmpeg -hide_banner -loglevel error -y -i $f.flv -map 0:a -c:a copy -f adts $f.aac
done
# big.h264: the second half of changed.flv on its own, as ffmpeg extracts it (see README: changed.h264).
ffmpeg -hide_banner -loglevel error -y -i big.flv -map 0:v -c:v copy -bsf:v h264_mp4toannexb -f h264 big.h264
rm big.flv
