#!/bin/sh
# Lab 06 (YUV and the DCT): re-creates every oracle file in this folder from ffmpeg's built-in test
# sources (no input files needed). Run from the repository root:  sh testdata/06-yuv-dct/make.sh
# Made with ffmpeg 5.1 (Debian 12). Every file is raw: no header, planes one after the other.
set -eu
cd "$(dirname "$0")"
Q="-hide_banner -loglevel error -y"
# swscale flags used for every colour conversion: exact rounding, chroma computed at full resolution
# (full_chroma_int), no CPU-specific shortcuts (bitexact). 'area' = box filter when chroma is halved.
ACC="accurate_rnd+full_chroma_int+bitexact"

# ---- M1 raw layouts: an odd size (33x17) so chroma planes are ceil(w/2) x ceil(h/2) --------------
ffmpeg $Q -f lavfi -i testsrc2=size=66x34 -frames:v 1 -vf "format=rgb24,crop=33:17:0:0" -f rawvideo odd-33x17.rgb
for f in yuv420p nv12 yuv422p yuv444p; do
  ffmpeg $Q -f rawvideo -pix_fmt rgb24 -s 33x17 -i odd-33x17.rgb -sws_flags $ACC -pix_fmt $f -f rawvideo odd-33x17.$f.yuv
done

# ---- M1 chroma resampling at an even size: ffmpeg's 'area' halves chroma by 2x2 averages, ----------
# ---- 'neighbor' doubles it by repeating each sample ----------------------------------------------
ffmpeg $Q -f lavfi -i testsrc2=size=64x48 -frames:v 1 -vf format=rgb24 -f rawvideo bars-64x48.rgb
ffmpeg $Q -f rawvideo -pix_fmt rgb24 -s 64x48 -i bars-64x48.rgb -sws_flags $ACC -pix_fmt yuv444p -f rawvideo bars-64x48.yuv444p.yuv
ffmpeg $Q -f rawvideo -pix_fmt yuv444p -s 64x48 -i bars-64x48.yuv444p.yuv -sws_flags area+accurate_rnd+bitexact -pix_fmt yuv420p -f rawvideo bars-64x48.area.yuv420p.yuv
ffmpeg $Q -f rawvideo -pix_fmt yuv420p -s 64x48 -i bars-64x48.area.yuv420p.yuv -sws_flags neighbor+accurate_rnd+bitexact -pix_fmt yuv444p -f rawvideo bars-64x48.neighbor.yuv444p.yuv
ffmpeg $Q -f rawvideo -pix_fmt yuv444p -s 64x48 -i bars-64x48.yuv444p.yuv -sws_flags area+accurate_rnd+bitexact -pix_fmt yuv422p -f rawvideo bars-64x48.area.yuv422p.yuv

# ---- M2 colour: two RGB pictures, each converted with BT.601/BT.709 x limited(tv)/full(pc) --------
ffmpeg $Q -f lavfi -i testsrc2=size=48x32 -frames:v 1 -vf format=rgb24 -f rawvideo bars-48x32.rgb
ffmpeg $Q -f lavfi -i "nullsrc=s=48x32,format=rgb24,geq=r='mod(X*5+Y,256)':g='mod(Y*8+X*2,256)':b='mod(X*X+Y*3,256)'" -frames:v 1 -f rawvideo ramp-48x32.rgb
for img in bars-48x32 ramp-48x32; do
  for m in bt601 bt709; do
    for r in tv pc; do
      # RGB -> Y'CbCr 4:4:4
      ffmpeg $Q -f rawvideo -pix_fmt rgb24 -s 48x32 -i $img.rgb \
        -vf "scale=out_color_matrix=$m:out_range=$r:flags=$ACC,format=yuv444p" -f rawvideo $img.$m-$r.yuv444p.yuv
      # RGB -> Y'CbCr 4:2:0 (chroma: full-resolution chroma averaged 2x2 by 'area')
      ffmpeg $Q -f rawvideo -pix_fmt rgb24 -s 48x32 -i $img.rgb \
        -vf "scale=out_color_matrix=$m:out_range=$r:flags=area+$ACC,format=yuv420p" -f rawvideo $img.$m-$r.yuv420p.yuv
      # and back: ffmpeg's own 4:4:4 -> RGB
      ffmpeg $Q -f rawvideo -pix_fmt yuv444p -s 48x32 -i $img.$m-$r.yuv444p.yuv \
        -vf "scale=in_color_matrix=$m:in_range=$r:flags=$ACC,format=rgb24" -f rawvideo $img.$m-$r.back.rgb
    done
  done
done

# ---- M3 quality: a reference frame and two distorted copies; ffmpeg's psnr and ssim filters ------
ffmpeg $Q -f lavfi -i testsrc2=size=96x64 -frames:v 1 -pix_fmt yuv420p -f rawvideo ref-96x64.yuv
ffmpeg $Q -f rawvideo -pix_fmt yuv420p -s 96x64 -i ref-96x64.yuv -vf noise=alls=12:allf=u:all_seed=7 -f rawvideo noisy-96x64.yuv
ffmpeg $Q -f rawvideo -pix_fmt yuv420p -s 96x64 -i ref-96x64.yuv -c:v mjpeg -q:v 20 -f mjpeg jpeg-96x64.mjpeg
ffmpeg $Q -i jpeg-96x64.mjpeg -pix_fmt yuv420p -f rawvideo jpeg-96x64.yuv
rm jpeg-96x64.mjpeg
for d in noisy jpeg; do
  # the filters' summary lines (6 decimals) are the oracle
  ffmpeg -hide_banner -nostats -f rawvideo -pix_fmt yuv420p -s 96x64 -i $d-96x64.yuv -f rawvideo -pix_fmt yuv420p -s 96x64 -i ref-96x64.yuv \
    -lavfi "[0:v][1:v]psnr" -f null - 2>&1 | grep -o 'PSNR y:.*' > $d-96x64.psnr.txt
  ffmpeg -hide_banner -nostats -f rawvideo -pix_fmt yuv420p -s 96x64 -i $d-96x64.yuv -f rawvideo -pix_fmt yuv420p -s 96x64 -i ref-96x64.yuv \
    -lavfi "[0:v][1:v]ssim" -f null - 2>&1 | grep -o 'SSIM Y:.*' > $d-96x64.ssim.txt
done

# ---- M3 SSIM on dark and flat content, where ffmpeg's constants (c1 = C1*64, c2 = C2*64*63 on raw sums)
# differ most from the textbook ones: a dark noise pair (odd size, so floor(W/4) decides the windows) and
# a flat grey frame against a lightly noisy copy. Each pair: .ref.yuv (reference) and .dist.yuv.
ffmpeg $Q -f lavfi -i color=black:size=70x38 -frames:v 1 -vf noise=alls=10:allf=u:all_seed=1 -pix_fmt yuv420p -f rawvideo dark-70x38.ref.yuv
ffmpeg $Q -f lavfi -i color=black:size=70x38 -frames:v 1 -vf noise=alls=10:allf=u:all_seed=2 -pix_fmt yuv420p -f rawvideo dark-70x38.dist.yuv
ffmpeg $Q -f lavfi -i color=gray:size=64x64 -frames:v 1 -pix_fmt yuv420p -f rawvideo flat-64x64.ref.yuv
ffmpeg $Q -f rawvideo -pix_fmt yuv420p -s 64x64 -i flat-64x64.ref.yuv -vf noise=alls=3:allf=u:all_seed=3 -f rawvideo flat-64x64.dist.yuv
for p in dark-70x38 flat-64x64; do
  s=${p#*-}
  ffmpeg -hide_banner -nostats -f rawvideo -pix_fmt yuv420p -s $s -i $p.dist.yuv -f rawvideo -pix_fmt yuv420p -s $s -i $p.ref.yuv \
    -lavfi "[0:v][1:v]ssim" -f null - 2>&1 | grep -o 'SSIM Y:.*' > $p.ssim.txt
done

# ---- M4 JPEG quantisation tables: libjpeg's cjpeg (Debian: apt-get install libjpeg-turbo-progs) --------
# The DQT segments of these tiny JPEGs hold the Annex K tables of ITU-T T.81, scaled by cjpeg's quality
# factor, in zigzag order. -baseline keeps every entry within 1..255.
ffmpeg $Q -f lavfi -i color=gray:size=16x16 -frames:v 1 -c:v ppm -f image2 grey-16x16.ppm
for q in 5 10 25 50 75 90 100; do
  cjpeg -quality $q -baseline -outfile quality-$q.jpg grey-16x16.ppm
done
rm grey-16x16.ppm

# ---- M5 one-frame pipeline: libjpeg compresses the luma of ref-96x64 at qualities 20 and 75 with the
# ---- same Annex K table, floating-point DCT; djpeg decodes it. The lab's reconstruction must be close.
ffmpeg $Q -f rawvideo -pix_fmt gray -s 96x64 -i ref-96x64.yuv -frames:v 1 -c:v pgm -f image2 luma-96x64.pgm
for q in 20 75; do
  cjpeg -quality $q -baseline -dct float -grayscale -outfile luma-q$q.jpg luma-96x64.pgm
  djpeg -dct float -nosmooth -pnm -outfile luma-q$q.pgm luma-q$q.jpg
  tail -c 6144 luma-q$q.pgm > luma-96x64.q$q.djpeg.gray
  rm luma-q$q.pgm
done
rm luma-96x64.pgm
