#!/usr/bin/env python3
"""Records the RTP and RTCP packets a real ffmpeg sends to two UDP ports on 127.0.0.1.

usage: capture.py OUT -- ffmpeg ARGS...
  PORT in ARGS is replaced by the RTP port, RTCPPORT by the RTCP port.
Writes OUT.rtpcap (RTP) and OUT.rtcpcap (RTCP): for each datagram, in arrival order, its length as 2 bytes
big-endian, then its bytes.
"""
import select
import socket
import subprocess
import sys

out = sys.argv[1]
cmd = sys.argv[3:]
socks = []
for _ in range(2):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.bind(("127.0.0.1", 0))
    socks.append(s)
rtp_port = socks[0].getsockname()[1]
rtcp_port = socks[1].getsockname()[1]
cmd = [a.replace("RTCPPORT", str(rtcp_port)).replace("PORT", str(rtp_port)) for a in cmd]
proc = subprocess.Popen(cmd)
captured = ([], [])
while True:
    ready, _, _ = select.select(socks, [], [], 0.5)
    for s in ready:
        captured[socks.index(s)].append(s.recvfrom(65536)[0])
    if not ready and proc.poll() is not None:
        break
if proc.returncode != 0:
    sys.exit("ffmpeg failed: %d" % proc.returncode)
for name, packets in zip((out + ".rtpcap", out + ".rtcpcap"), captured):
    with open(name, "wb") as f:
        for p in packets:
            f.write(len(p).to_bytes(2, "big"))
            f.write(p)
    print("%d packets -> %s" % (len(packets), name))
