namespace Lab09.WebRtc;

/// <summary>
/// The page the SFU serves at <c>/</c> (README §Signalling): "publish my camera" and "watch stream X", each one
/// RTCPeerConnection that POSTs its offer and sets the answer, and a stats panel from <c>getStats()</c>. No CDN, no
/// library: it works offline. <c>window.lab</c> is what the tests drive. Given code.
/// </summary>
internal static class WebRtcPage
{
    public const string Html = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>Lab 09 · your SFU</title>
        <style>
          body { font: 15px system-ui, sans-serif; margin: 2em; max-width: 60em; }
          video { width: 480px; height: 270px; background: #222; display: block; margin: 1em 0; }
          pre { background: #f4f4f4; padding: .8em; min-height: 8em; }
          button { font-size: 15px; margin-right: .5em; }
        </style>
        </head>
        <body>
        <h1>Lab 09 · WebRTC into your SFU</h1>
        <p>Open this page in two tabs: publish in one, watch in the other.</p>
        <label>Stream <input id="stream" value="cam" size="12"></label>
        <button id="publish">Publish my camera</button>
        <button id="watch">Watch stream</button>
        <video id="video" autoplay playsinline muted></video>
        <pre id="panel">not connected</pre>
        <script>
        'use strict';
        const lab = { pc: null, role: null, last: null, rate: 0, error: null };
        window.lab = lab;

        async function negotiate(path) {
          const offer = await lab.pc.createOffer();
          await lab.pc.setLocalDescription(offer);
          const response = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: offer.sdp });
          const text = await response.text();
          if (!response.ok) throw new Error(response.status + ' ' + text);
          await lab.pc.setRemoteDescription({ type: 'answer', sdp: text });
        }

        lab.publish = async (stream) => {
          const media = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 360, frameRate: 30 }, audio: false });
          document.getElementById('video').srcObject = media;
          lab.pc = new RTCPeerConnection();
          lab.pc.addTransceiver(media.getVideoTracks()[0], { direction: 'sendonly' });
          lab.role = 'publisher';
          await negotiate('/publish/' + encodeURIComponent(stream));
        };

        lab.watch = async (stream) => {
          lab.pc = new RTCPeerConnection();
          lab.pc.addTransceiver('video', { direction: 'recvonly' });
          lab.pc.ontrack = e => { document.getElementById('video').srcObject = new MediaStream([e.track]); };
          lab.role = 'watcher';
          await negotiate('/watch/' + encodeURIComponent(stream));
        };

        // The numbers of the panel (W3C webrtc-stats): outbound-rtp for a publisher, inbound-rtp for a watcher.
        lab.stats = async () => {
          const video = document.getElementById('video');
          const out = { role: lab.role, state: lab.pc ? lab.pc.connectionState : 'new', currentTime: video.currentTime,
                        kbps: Math.round(lab.rate / 1000) };
          if (!lab.pc) return out;
          (await lab.pc.getStats()).forEach(s => {
            if (s.kind !== 'video') return;
            if (s.type === 'inbound-rtp') {
              Object.assign(out, { packetsReceived: s.packetsReceived, packetsLost: s.packetsLost, nackCount: s.nackCount,
                                   pliCount: s.pliCount, framesDecoded: s.framesDecoded, bytes: s.bytesReceived });
            } else if (s.type === 'outbound-rtp') {
              Object.assign(out, { packetsSent: s.packetsSent, nackCount: s.nackCount, pliCount: s.pliCount,
                                   framesEncoded: s.framesEncoded, bytes: s.bytesSent });
            }
          });
          return out;
        };

        setInterval(async () => {
          if (!lab.pc) return;
          const s = await lab.stats();
          const now = performance.now();
          if (lab.last && s.bytes !== undefined) lab.rate = (s.bytes - lab.last.bytes) * 8000 / (now - lab.last.at);
          if (s.bytes !== undefined) lab.last = { bytes: s.bytes, at: now };
          document.getElementById('panel').textContent = Object.entries(s).map(([k, v]) => k.padEnd(16) + v).join('\n');
        }, 1000);

        for (const [id, action] of [['publish', lab.publish], ['watch', lab.watch]]) {
          document.getElementById(id).onclick = () => action(document.getElementById('stream').value)
            .catch(e => { lab.error = String(e); document.getElementById('panel').textContent = lab.error; });
        }
        </script>
        </body>
        </html>
        """;
}
