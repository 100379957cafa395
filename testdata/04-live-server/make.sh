#!/bin/sh
# Lab 04's oracle: what ffprobe says about the clip ffmpeg publishes into the live server.
# Run from this folder: sh make.sh   (ffmpeg 5.1.9, Debian 12)
set -eu
CLIP=../clip-2s.flv

# Every packet of the clip, in file order: the frames a subscriber must receive, their keyframe flags and DTS.
ffprobe -v error -show_data_hash MD5 -show_entries packet=codec_type,dts,pts,size,flags,data_hash -of compact=p=0 $CLIP > clip-2s.packets.txt
