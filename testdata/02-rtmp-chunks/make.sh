#!/bin/sh
# Re-creates Lab 02's oracle files from real ffmpeg/ffprobe runs (ffmpeg 5.1, Debian 12).
# Run from the repository root:  sh testdata/02-rtmp-chunks/make.sh
# The two captures relay a real ffmpeg client to a real ffmpeg server (-listen 1) through proxy.py,
# which records the bytes each way unchanged: no code of the lab is involved.
set -eu
cd "$(dirname "$0")"
CLIP=../clip-2s.flv

# 1. ffmpeg publishes the clip to ffmpeg's own RTMP server; record both directions.
timeout 30 ffmpeg -hide_banner -loglevel error -listen 1 -i rtmp://127.0.0.1:19413/live/test -c copy -f flv -y /tmp/lab02-recv.flv &
sleep 0.5
python3 proxy.py 19412 19413 ffmpeg-publish &
sleep 0.5
timeout 20 ffmpeg -hide_banner -loglevel error -re -i $CLIP -c copy -f flv "rtmp://127.0.0.1:19412/live/test?sign=1700000000-0123456789abcdef" || true
wait

# 2. ffmpeg plays from ffmpeg's RTMP server (which serves the clip); record both directions.
timeout 30 ffmpeg -hide_banner -loglevel error -re -i $CLIP -c copy -f flv -listen 1 rtmp://127.0.0.1:19415/live/test &
sleep 0.5
python3 proxy.py 19414 19415 ffmpeg-play &
sleep 0.5
timeout 20 ffmpeg -hide_banner -loglevel error -i rtmp://127.0.0.1:19414/live/test -c copy -f flv -y /tmp/lab02-play.flv || true
wait

# 3. What ffprobe says about the clip's packets and streams (the oracle for the publish test).
ffprobe -v error -show_data_hash MD5 -show_entries packet=codec_type,dts,pts,size,flags,data_hash -of compact=p=0 $CLIP > clip-2s.packets.txt
ffprobe -v error -show_data_hash MD5 -show_entries stream=index,codec_type,codec_name,extradata_size,extradata_hash -of compact=p=0 $CLIP > clip-2s.streams.txt
