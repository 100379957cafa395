#!/bin/sh
# Lab 09's captured browser offer: the SDP offer Chromium writes for a page that publishes audio and three simulcast
# video layers (offer.html). Run from the repository root:
#   sh testdata/09-webrtc/make.sh
# Needs Chromium (sudo apt-get install -y chromium) and python3. Chromium runs offer.html headless and prints its DOM;
# the offer is the text of <pre id="sdp">, written with the CRLF line ends of SDP (RFC 8866 §5).
# Made with Chromium 156 on Debian 12 (see README.md); another Chromium gives another offer (other ufrag, fingerprint,
# payload types), so re-running this means updating the expected values in labs/09-webrtc/tests/M5SdpTests.cs.
set -eu
cd "$(dirname "$0")"
CHROMIUM=$(command -v chromium || command -v chromium-browser || command -v google-chrome)
"$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update \
  --disable-sync --virtual-time-budget=5000 --dump-dom "file://$PWD/offer.html" 2>/dev/null > offer.dom.html
python3 - <<'PY'
import html, re
dom = open('offer.dom.html', encoding='utf-8').read()
sdp = html.unescape(re.search(r'<pre id="sdp">(.*?)</pre>', dom, re.S).group(1))
lines = [l for l in sdp.replace('\r\n', '\n').split('\n') if l]
assert lines[0] == 'v=0', 'no offer in the page: ' + sdp[:200]
open('chromium-offer.sdp', 'w', encoding='utf-8', newline='').write('\r\n'.join(lines) + '\r\n')
PY
rm offer.dom.html
"$CHROMIUM" --version > chromium-offer.version.txt 2>/dev/null || true
