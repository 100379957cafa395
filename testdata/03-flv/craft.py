"""Makes the FLV files ffmpeg cannot write, straight from the FLV spec (Adobe FLV v10.1, annex E).

Reads ffmpeg's clips tag by tag (11-byte tag header, data, 4-byte PreviousTagSize) and writes new
files with the same layout. Independent of the lab's code: it is the oracle's side.
"""
import struct


def read_flv(path):
    data = open(path, "rb").read()
    header_size = struct.unpack(">I", data[5:9])[0]
    header = data[:header_size]
    pos = header_size + 4  # PreviousTagSize0
    tags = []
    while pos + 11 <= len(data):
        tag_type = data[pos] & 0x1F
        size = int.from_bytes(data[pos + 1:pos + 4], "big")
        ts = int.from_bytes(data[pos + 4:pos + 7], "big") | (data[pos + 7] << 24)
        body = data[pos + 11:pos + 11 + size]
        tags.append([tag_type, ts, body])
        pos += 11 + size + 4
    return header, tags


def write_flv(path, header, tags):
    out = bytearray(header)
    out += b"\0\0\0\0"
    for tag_type, ts, body in tags:
        tag = bytes([tag_type]) + len(body).to_bytes(3, "big") + (ts & 0xFFFFFF).to_bytes(3, "big") + bytes([(ts >> 24) & 0xFF]) + b"\0\0\0" + body
        out += tag + len(tag).to_bytes(4, "big")
    open(path, "wb").write(out)


def is_avc_sequence_header(t):
    return t[0] == 9 and t[2][0] & 0x0F == 7 and t[2][1] == 0


def is_aac_sequence_header(t):
    return t[0] == 8 and t[2][0] >> 4 == 10 and t[2][1] == 0


# nalu3.flv: lengthSizeMinusOne = 2 (byte 4 of the AVCDecoderConfigurationRecord, ISO/IEC 14496-15 5.2.4.1.1),
# and every 4-byte NALU length of the AVC NALU tags rewritten as 3 bytes.
header, tags = read_flv("video.flv")
for t in tags:
    if is_avc_sequence_header(t):
        body = bytearray(t[2])
        body[5 + 4] = 0xFC | 2
        t[2] = bytes(body)
    elif t[0] == 9 and t[2][1] == 1:
        body, nalus, p = t[2], bytearray(t[2][:5]), 5
        while p < len(body):
            n = int.from_bytes(body[p:p + 4], "big")
            assert n < (1 << 24)
            nalus += n.to_bytes(3, "big") + body[p + 4:p + 4 + n]
            p += 4 + n
        t[2] = bytes(nalus)
write_flv("nalu3.flv", header, tags)

# repeated.flv: both sequence headers again, unchanged, just before the first tag at or after 1000 ms.
header, tags = read_flv("av.flv")
avc = next(t for t in tags if is_avc_sequence_header(t))
aac = next(t for t in tags if is_aac_sequence_header(t))
at = next(i for i, t in enumerate(tags) if t[1] >= 1000 and t[0] == 9 and t[2][0] >> 4 == 1)
ts = tags[at][1]
tags[at:at] = [[9, ts, avc[2]], [8, ts, aac[2]]]
write_flv("repeated.flv", header, tags)

# changed.flv: video.flv (128x72), then big.flv (320x192) 1000 ms later, with big.flv's own (different)
# AVC sequence header mid-stream. big.flv's script tag is left out; video.flv's onMetaData stays first.
header, first = read_flv("video.flv")
_, second = read_flv("big.flv")
write_flv("changed.flv", header, first + [[t[0], t[1] + 1000, t[2]] for t in second if t[0] != 18])

# gap.flv: av.flv with a stall and a restart in its clock, for the analysis: every tag from 1000 ms on
# 2000 ms later (a 2 s gap in both streams), and every tag from 1600 ms on moved back to 500 ms + (ts - 1600)
# (a jump backwards, as when a publisher reconnects). Composition times stay: PTS moves with DTS.
header, tags = read_flv("av.flv")
def moved(ts):
    if ts >= 1600:
        return 500 + (ts - 1600)
    return ts + 2000 if ts >= 1000 else ts
write_flv("gap.flv", header, [[t[0], moved(t[1]), t[2]] for t in tags])

# pps.flv: video.flv with the configuration's PPS sent in-band, without an SPS, at the front of the second
# key frame's access unit (a 4-byte NALU length, as the record says): h264_mp4toannexb must then supply the SPS.
header, tags = read_flv("video.flv")
avc = next(t for t in tags if is_avc_sequence_header(t))
record = avc[2][5:]
p = 6 + 2 + int.from_bytes(record[6:8], "big")  # after numOfSequenceParameterSets and the one SPS
assert record[5] & 0x1F == 1 and record[p] == 1
pps = record[p + 3:p + 3 + int.from_bytes(record[p + 1:p + 3], "big")]
keys = [t for t in tags if t[0] == 9 and t[2][0] >> 4 == 1 and t[2][1] == 1]
keys[1][2] = keys[1][2][:5] + len(pps).to_bytes(4, "big") + pps + keys[1][2][5:]
write_flv("pps.flv", header, tags)

# inband.flv: intra.flv (every frame an IDR) with parameter sets sent in-band, as NAL units of the access units:
# the 2nd key frame carries SPS + PPS, the 3rd only the SPS, the 4th only the PPS, the 5th none.
header, tags = read_flv("intra.flv")
avc = next(t for t in tags if is_avc_sequence_header(t))
record = avc[2][5:]
sps = record[8:8 + int.from_bytes(record[6:8], "big")]
p = 8 + len(sps)
pps = record[p + 3:p + 3 + int.from_bytes(record[p + 1:p + 3], "big")]
unit = lambda nal: len(nal).to_bytes(4, "big") + nal
keys = [t for t in tags if t[0] == 9 and t[2][0] >> 4 == 1 and t[2][1] == 1]
for key, sets in zip(keys[1:4], [[sps, pps], [sps], [pps]]):
    key[2] = key[2][:5] + b"".join(unit(n) for n in sets) + key[2][5:]
write_flv("inband.flv", header, tags)
