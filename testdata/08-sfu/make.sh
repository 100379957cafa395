#!/bin/sh
# Lab 08's oracles: an H.264 encode in Annex B, and the RTP packets ffmpeg sends for the same encode.
# Run from this folder: sh make.sh   (ffmpeg 5.1, Debian 12; python3)
set -eu

# 1. One second of H.264 (320x180, 25 fps, one GOP, no B-frames) as an Annex B byte stream.
ffmpeg -v error -y -f lavfi -i testsrc2=size=320x180:rate=25 -t 1 -c:v libx264 -preset veryfast -g 25 -bf 0 \
  -pix_fmt yuv420p -f h264 clip.h264

# 2. The same NAL units sent by ffmpeg's RTP muxer (RFC 6184 packetization-mode 1) with 1200-byte packets,
#    recorded by a UDP listener on 127.0.0.1 (capture.py writes each datagram as length + bytes): RTP in
#    clip.rtpcap, RTCP (sender reports with SDES CNAME, and the final BYE that send_bye asks for) in clip.rtcpcap.
python3 capture.py clip -- ffmpeg -v error -re -i clip.h264 -c copy -f rtp -payload_type 96 -ssrc 305419896 \
  -pkt_size 1200 -rtpflags send_bye -sdp_file clip.sdp 'rtp://127.0.0.1:PORT?rtcpport=RTCPPORT'

# 3. What ffprobe says about the encode: one line per frame (the NAL units' access units).
ffprobe -v error -show_entries packet=pts,size,flags -of compact=p=0 clip.h264 > clip.packets.txt
