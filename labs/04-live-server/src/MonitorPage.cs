namespace Lab04.LiveServer;

/// <summary>
/// The monitoring page at /monitor (监控面板, given, README §Monitoring): polls /api/streams every second and
/// shows one row per live stream — publisher, codecs, resolution, frame rate, subscribers, drops, uptime —
/// with a chart of the bit rate in and out over the last two minutes, drawn as SVG from the differences
/// between polls. Plain JavaScript, nothing from a CDN.
/// </summary>
public static class MonitorPage
{
    /// <summary>The page.</summary>
    public const string Html = """
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lab 04 · monitor</title>
<style>
 body { font: 14px system-ui, sans-serif; margin: 1.5em; }
 table { border-collapse: collapse; } td, th { padding: .3em .7em; border-bottom: 1px solid #ddd; text-align: left; vertical-align: middle; }
 th { background: #f3f3f3; } .num { text-align: right; font-variant-numeric: tabular-nums; }
 svg { background: #fafafa; border: 1px solid #ddd; } .in { stroke: #1f77b4; } .out { stroke: #ff7f0e; }
 .legend span { margin-right: 1em; } #status { color: #555; }
</style>
</head>
<body>
<h1>Live streams · monitor</h1>
<p class="legend"><span style="color:#1f77b4">━ bit rate in</span><span style="color:#ff7f0e">━ bit rate out</span> (kbit/s, last 2 minutes) · <a href="/">player</a> · <a href="/api/streams">/api/streams</a></p>
<table>
<thead><tr><th>stream</th><th>publisher</th><th>video</th><th>audio</th><th class="num">subscribers</th><th class="num">dropped tags</th><th class="num">in kbit/s</th><th class="num">out kbit/s</th><th class="num">uptime</th><th>chart</th></tr></thead>
<tbody id="rows"><tr><td colspan="10">(no live stream)</td></tr></tbody>
</table>
<p id="status"></p>
<script>
const history = new Map(); // key -> { last: {t, bytesIn, bytesOut}, points: [{t, kin, kout}] }
const W = 240, H = 48, SPAN = 120;
function text(v) { return v === null || v === undefined ? '–' : String(v); }
function video(v) { return v ? `${v.codec} ${text(v.width)}×${text(v.height)} @ ${text(v.frameRate)} fps` : '–'; }
function audio(a) { return a ? `${a.codec} ${text(a.sampleRate)} Hz ${text(a.channels)} ch` : '–'; }
function chart(points) {
  if (points.length < 2) return `<svg width="${W}" height="${H}"></svg>`;
  const t1 = points[points.length - 1].t, max = Math.max(1, ...points.map(p => Math.max(p.kin, p.kout)));
  const line = f => points.map(p => `${(W - (t1 - p.t) / SPAN * W).toFixed(1)},${(H - 2 - f(p) / max * (H - 4)).toFixed(1)}`).join(' ');
  return `<svg width="${W}" height="${H}"><polyline class="in" fill="none" points="${line(p => p.kin)}"/><polyline class="out" fill="none" points="${line(p => p.kout)}"/></svg>`;
}
function row(s) {
  const now = performance.now() / 1000;
  const h = history.get(s.key) ?? { last: null, points: [] };
  if (h.last) {
    const dt = now - h.last.t;
    if (dt > 0) h.points.push({ t: now, kin: (s.bytesIn - h.last.bytesIn) * 8 / dt / 1000, kout: Math.max(0, s.bytesOut - h.last.bytesOut) * 8 / dt / 1000 });
  }
  h.last = { t: now, bytesIn: s.bytesIn, bytesOut: s.bytesOut };
  h.points = h.points.filter(p => now - p.t <= SPAN);
  history.set(s.key, h);
  const latest = h.points.length ? h.points[h.points.length - 1] : { kin: s.bitrateIn / 1000, kout: s.bitrateOut / 1000 };
  const tr = document.createElement('tr');
  tr.dataset.key = s.key;
  tr.innerHTML = `<td><a href="${s.flv}">${s.key}</a></td><td>${text(s.publisher)}</td><td>${video(s.video)}</td><td>${audio(s.audio)}</td>`
    + `<td class="num">${s.subscribers}</td><td class="num">${s.droppedTags}</td><td class="num">${latest.kin.toFixed(0)}</td><td class="num">${latest.kout.toFixed(0)}</td>`
    + `<td class="num">${Math.floor(s.uptimeSeconds)} s</td><td>${chart(h.points)}</td>`;
  return tr;
}
async function poll() {
  try {
    const answer = await fetch('/api/streams', { cache: 'no-store' });
    const { streams } = await answer.json();
    const rows = document.getElementById('rows');
    rows.replaceChildren(...(streams.length ? streams.map(row) : [Object.assign(document.createElement('tr'), { innerHTML: '<td colspan="10">(no live stream)</td>' })]));
    for (const key of [...history.keys()]) if (!streams.some(s => s.key === key)) history.delete(key);
    document.getElementById('status').textContent = `updated ${new Date().toLocaleTimeString()}`;
  } catch (e) {
    document.getElementById('status').textContent = `cannot read /api/streams: ${e}`;
  }
}
poll();
setInterval(poll, 1000);
</script>
</body>
</html>
""";
}
