namespace Lab04.LiveServer;

/// <summary>
/// The page at / (given): lists the live streams (from /api/streams, every two seconds) and plays the one
/// you pick with mpegts.js, which the server itself serves from the npm players package (/players/mpegts.js,
/// never a CDN). It shows the time to the first frame and the decoded and dropped frame counts, lists the
/// recordings (from /api/recordings; played as video on demand, seekable through Range requests) and links
/// to the monitoring page.
/// </summary>
public static class PlayerPage
{
    /// <summary>The page.</summary>
    public const string Html = """
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lab 04 · live server</title>
<style>
 body { font: 15px system-ui, sans-serif; margin: 1.5em; max-width: 60em; }
 video { width: 100%; max-width: 48em; background: #000; }
 li { margin: .3em 0; } button { font: inherit; } code { background: #eee; padding: 0 .3em; }
 #status { color: #555; }
</style>
</head>
<body>
<h1>Live streams</h1>
<p>Publish with <code>ffmpeg -re -i testdata/clip-2s.flv -c copy -f flv rtmp://HOST:RTMPPORT/live/test</code> or OBS, then pick a stream.</p>
<ul id="streams"><li>(none yet)</li></ul>
<h2>Recordings (录制和点播)</h2>
<ul id="recordings"><li>(none: start the server with a record folder)</li></ul>
<p><a href="/monitor">Monitor</a> · <a href="/api/streams">/api/streams</a> · <a href="/api/recordings">/api/recordings</a></p>
<video id="video" controls muted playsinline></video>
<p id="status"></p>
<script src="/players/mpegts.js"></script>
<script>
const status = document.getElementById('status');
const video = document.getElementById('video');
let player = null, opened = 0;
document.body.innerHTML = document.body.innerHTML.replace('HOST', location.hostname);
async function refresh() {
  try {
    const { streams } = await (await fetch('/api/streams')).json();
    const list = document.getElementById('streams');
    list.innerHTML = streams.length ? '' : '<li>(none yet)</li>';
    for (const s of streams) {
      const li = document.createElement('li');
      li.innerHTML = `<button>▶ ${s.key}</button> ${s.subscribers} watching, ${s.droppedTags} tags dropped`;
      li.querySelector('button').onclick = () => play(s.flv);
      list.appendChild(li);
    }
  } catch (e) { status.textContent = 'cannot list streams: ' + e; }
  try {
    const { recordings } = await (await fetch('/api/recordings')).json();
    const list = document.getElementById('recordings');
    if (recordings.length) { list.innerHTML = ''; }
    for (const r of recordings) {
      const li = document.createElement('li');
      li.innerHTML = `<button>▶ ${r.url}</button> ${(r.size / 1048576).toFixed(1)} MiB${r.writing ? ', still recording' : ''}`;
      li.querySelector('button').onclick = () => play(r.url, false);
      list.appendChild(li);
    }
  } catch (e) { status.textContent = 'cannot list recordings: ' + e; }
}
function play(url, isLive = true) {
  if (typeof mpegts === 'undefined') { status.textContent = 'mpegts.js is missing: run `cd tools/players && npm ci`.'; return; }
  if (player) { player.destroy(); }
  opened = performance.now();
  player = mpegts.createPlayer({ type: 'flv', isLive, url }, { enableStashBuffer: !isLive });
  player.attachMediaElement(video);
  player.on(mpegts.Events.ERROR, (kind, detail) => status.textContent = `player error: ${kind} ${detail}`);
  player.load();
  video.play().catch(() => {});
  video.requestVideoFrameCallback(() => status.textContent = `first frame after ${Math.round(performance.now() - opened)} ms`);
}
refresh(); setInterval(refresh, 2000);
</script>
</body>
</html>
""";
}
