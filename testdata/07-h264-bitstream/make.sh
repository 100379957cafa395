#!/bin/sh
# Lab 07's oracle streams: small raw H.264 (Annex B) files made by ffmpeg/libx264, and what ffprobe and
# the trace_headers bitstream filter say about them. Run from the repository root:
#   sh testdata/07-h264-bitstream/make.sh
# Made with ffmpeg 5.1 (Debian 12) and its libx264; another x264 gives other bytes (and another version
# string in the SEI), so re-running this means re-committing the oracle files beside the streams.
set -eu
cd "$(dirname "$0")"
SRC="-f lavfi -i testsrc2=size=320x240:rate=25"
X="ffmpeg -hide_banner -loglevel error -y"

# baseline: Constrained Baseline, CAVLC, no B-frames (x264 then uses pic_order_cnt_type 2), a keyframe every 10.
$X $SRC -frames:v 20 -c:v libx264 -preset veryfast -profile:v baseline -g 10 -pix_fmt yuv420p baseline.h264
# main-b: Main, CABAC, B-frames (3, pyramid), POC type 0, sample aspect ratio 4:3 in the VUI.
$X $SRC -frames:v 20 -c:v libx264 -preset veryfast -profile:v main -bf 3 -g 12 -sc_threshold 0 -pix_fmt yuv420p -vf setsar=4/3 main-b.h264
# high: High, CABAC, 8x8 transform, BT.709 colour description, custom scaling matrices (x264 puts them in the PPS).
$X $SRC -frames:v 12 -c:v libx264 -preset veryfast -profile:v high -g 12 -pix_fmt yuv420p \
   -x264-params cqm4=8,12,16,20,12,16,20,24,16,20,24,28,20,24,28,32:cqm8=10,12,14,16,18,20,22,24,12,14,16,18,20,22,24,26,14,16,18,20,22,24,26,28,16,18,20,22,24,26,28,30,18,20,22,24,26,28,30,32,20,22,24,26,28,30,32,34,22,24,26,28,30,32,34,36,24,26,28,30,32,34,36,38 -color_primaries bt709 -color_trc bt709 -colorspace bt709 -color_range tv high.h264
# cavlc-high: High without CABAC (coder=0): the same tools, the other entropy coder.
$X $SRC -frames:v 12 -c:v libx264 -preset veryfast -profile:v high -coder 0 -g 12 -pix_fmt yuv420p cavlc-high.h264
# 1080p: 1920x1080 is 120x68 macroblocks (1088 lines) cropped by 8 lines (frame_crop_bottom_offset 4).
ffmpeg -hide_banner -loglevel error -y -f lavfi -i testsrc2=size=1920x1080:rate=30 -frames:v 3 -c:v libx264 -preset ultrafast -crf 35 -pix_fmt yuv420p 1080p.h264
# slices: 4 slices per picture.
$X $SRC -frames:v 8 -c:v libx264 -preset veryfast -x264-params slices=4 -g 8 -pix_fmt yuv420p slices.h264
# open-gop: open GOPs (non-IDR I pictures with a recovery point SEI, B-frames before them in display order).
$X $SRC -frames:v 40 -c:v libx264 -preset veryfast -bf 2 -x264-params open_gop=1:keyint=12:min-keyint=12:scenecut=0 -pix_fmt yuv420p open-gop.h264
# high422: High 4:2:2 10-bit (chroma_format_idc 2, bit depths 10), odd size 200x120 cropped.
ffmpeg -hide_banner -loglevel error -y -f lavfi -i testsrc2=size=200x120:rate=25 -frames:v 4 -c:v libx264 -preset veryfast -pix_fmt yuv422p10le high422.h264

# high444: High 4:4:4 Predictive (244), 8-bit yuv444p, 200x120: CropUnitX = CropUnitY = 1, so 208x128 is cropped by 8 units each way.
$X -f lavfi -i testsrc2=size=200x120:rate=25 -frames:v 3 -c:v libx264 -preset veryfast -pix_fmt yuv444p high444.h264
# mbaff: interlaced MBAFF (frame_mbs_only_flag 0, mb_adaptive_frame_field_flag 1), 320x232: the height is coded in
# macroblock pairs (8 pairs = 256 lines) and CropUnitY is 2 x 2 = 4, so frame_crop_bottom_offset is 6.
$X -f lavfi -i testsrc2=size=320x232:rate=25 -frames:v 6 -c:v libx264 -preset veryfast -flags +ildct+ilme -x264-params tff=1 -pix_fmt yuv420p mbaff.h264
# features: the slice-header and PPS tools the other streams lack — weighted P with duplicated references (so
# ref_pic_list_modification), implicit B weights (weighted_bipred_idc 2), B-pyramid, NAL HRD parameters in the VUI
# (CBR, with buffering period and picture timing SEI), and custom scaling matrices from features.cqm (raster order,
# as x264's JM-style cqmfile takes them) whose coding uses both special rules of scaling_list(): the intra chroma 4x4
# lists are "0" (the default, Table 7-3), which x264 sends as a delta that makes nextScale 0 at j = 0
# (useDefaultScalingMatrixFlag); the inter 4x4 and intra 8x8 lists end in a run of equal values, which x264 ends early
# with a delta that makes nextScale 0 (the rest repeat the last value).
$X $SRC -frames:v 16 -c:v libx264 -preset medium -profile:v high -bf 3 -b:v 300k -maxrate 300k -bufsize 300k \
   -x264-params weightp=2:weightb=1:b-pyramid=normal:keyint=16:scenecut=0:nal-hrd=cbr:cqmfile=features.cqm -pix_fmt yuv420p features.h264

# no-recovery: open-gop.h264 with every SEI NAL unit removed by ffmpeg's filter_units bitstream filter: its non-IDR I
# pictures lose their recovery point, so only the first (IDR) picture is a key frame (ffprobe agrees).
ffmpeg -hide_banner -loglevel error -y -i open-gop.h264 -c copy -bsf:v filter_units=remove_types=6 -f h264 no-recovery.h264

# pcm-100x60.yuv: raw frames for M6's I_PCM encoder — 3 frames of testsrc, yuv420p, 100x60 (not whole macroblocks:
# the encoder must crop 112x64 to it). The encoder's output is checked by decoding it with ffmpeg, not committed.
$X -f lavfi -i testsrc=size=100x60:rate=25 -frames:v 3 -pix_fmt yuv420p -f rawvideo pcm-100x60.yuv

# paff: field pictures (PAFF), which no encoder here writes (libx264 codes interlace as MBAFF only): paff.py writes
# them from the spec — I_PCM and all-skipped P fields, top field first and bottom field first — and paff.yuv, the
# frames they must decode to (each field pair woven into one frame). ffmpeg's decoder must agree byte for byte.
python3 paff.py
ffmpeg -hide_banner -loglevel error -i paff.h264 -f rawvideo -pix_fmt yuv420p - | cmp - paff.yuv

# The oracles: ffprobe's stream and frame view, and trace_headers' field dump.
for f in *.h264; do
  b="${f%.h264}"
  ffprobe -v error -show_streams -select_streams v:0 -of json "$f" > "$b.streams.json"
  ffprobe -v error -show_frames -show_entries frame=key_frame,pict_type,coded_picture_number,display_picture_number,pkt_size,interlaced_frame,top_field_first -of json "$f" > "$b.frames.json"
  ffprobe -v error -show_packets -show_entries packet=size,flags -of json "$f" > "$b.packets.json"
  ffmpeg -hide_banner -nostats -loglevel repeat+debug -i "$f" -c copy -bsf:v trace_headers -f null - 2>&1 \
    | grep '^\[trace_headers' | sed 's/^\[trace_headers @ 0x[0-9a-f]*\] //' > "$b.trace.txt"
done
