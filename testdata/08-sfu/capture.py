#!/usr/bin/env python3
"""Records the RTP packets a real ffmpeg sends to a UDP port on 127.0.0.1.

usage: capture.py OUT.rtpcap -- ffmpeg ARGS... (the word PORT in ARGS is replaced by the port)

OUT.rtpcap is the simplest possible capture: for each datagram, in arrival order, its length as
2 bytes big-endian, then its bytes. RTCP (sent by ffmpeg to PORT+1) is not recorded.
"""
import socket
import subprocess
import sys
import time

out = sys.argv[1]
cmd = sys.argv[3:]
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
sock.bind(("127.0.0.1", 0))
port = sock.getsockname()[1]
cmd = [a.replace("PORT", str(port)) for a in cmd]
proc = subprocess.Popen(cmd)
packets = []
sock.settimeout(0.5)
while True:
    try:
        data, _ = sock.recvfrom(65536)
        packets.append(data)
    except socket.timeout:
        if proc.poll() is not None:
            break
if proc.returncode != 0:
    sys.exit("ffmpeg failed: %d" % proc.returncode)
with open(out, "wb") as f:
    for p in packets:
        f.write(len(p).to_bytes(2, "big"))
        f.write(p)
print("%d packets -> %s" % (len(packets), out))
