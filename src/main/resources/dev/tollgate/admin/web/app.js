// Tollgate flow viewer: plain JS, no build step, no CDN.
// The list is virtual: only the rows in view exist in the DOM, so 10,000+ flows stay cheap.
// Live updates come as batches over Server-Sent Events (one message per 250 ms at most).
'use strict';

(function () {
  const ROW = 24;            // px, must match .row height in app.css
  const MAX_KEPT = 20000;    // flows the page keeps; the oldest go first
  const FILTERS = ['host', 'status', 'mode', 'client', 'errors', 'q'];

  const $ = (id) => document.getElementById(id);
  const rowsEl = $('rows'), spacer = $('spacer'), detail = $('detail'), dBody = $('d-body');
  const form = $('filters');

  const byId = new Map();    // id -> row JSON
  let order = [];            // ids shown, newest first
  let selected = null;       // selected flow id
  let paused = false;
  let held = new Map();      // batches received while paused, coalesced by id
  let source = null;
  let detailFlow = null;

  // ---- filters, kept in the URL so a view can be shared ----
  function currentFilter() {
    const f = {};
    for (const name of FILTERS) {
      const el = form.elements[name];
      const v = el.type === 'checkbox' ? (el.checked ? '1' : '') : el.value.trim();
      if (v) f[name] = v;
    }
    return f;
  }
  function filterQuery(f) {
    return new URLSearchParams(f).toString();
  }
  function loadFilterFromUrl() {
    const p = new URLSearchParams(location.search);
    for (const name of FILTERS) {
      const el = form.elements[name];
      if (el.type === 'checkbox') el.checked = p.get(name) === '1';
      else el.value = p.get(name) || '';
    }
    const id = Number(p.get('flow'));
    if (id > 0) selected = id;
  }
  function saveFilterToUrl() {
    const f = currentFilter();
    if (selected) f.flow = selected;
    const q = filterQuery(f);
    history.replaceState(null, '', q ? '?' + q : location.pathname);
    const exportQuery = filterQuery(currentFilter());
    $('har').href = '/api/flows.har' + (exportQuery ? '?' + exportQuery : '');
  }

  function hostOf(url) {
    if (!url) return '';
    let rest = url;
    const i = url.indexOf('://');
    if (i > 0) rest = url.slice(i + 3);
    const end = rest.search(/[/?#]/);
    let auth = end < 0 ? rest : rest.slice(0, end);
    auth = auth.slice(auth.lastIndexOf('@') + 1);
    if (auth.startsWith('[')) return auth.slice(1, auth.indexOf(']')).toLowerCase();
    const c = auth.lastIndexOf(':');
    return (c > 0 ? auth.slice(0, c) : auth).toLowerCase();
  }

  // The same rules as the server's FlowQuery, for flows that arrive live.
  function matches(r, f) {
    if (f.errors && !r.error) return false;
    if (f.mode && !f.mode.split(',').includes(r.mode)) return false;
    if (f.status) {
      const cls = r.status > 0 ? Math.floor(r.status / 100) + 'xx' : 'none';
      if (!f.status.split(',').includes(cls)) return false;
    }
    if (f.host && !hostOf(r.url).includes(f.host.toLowerCase())) return false;
    if (f.client && !(r.client || '').toLowerCase().includes(f.client.toLowerCase())) return false;
    if (f.q) {
      const q = f.q.toLowerCase();
      const hay = [r.method, r.url, r.client, r.error].map((s) => (s || '').toLowerCase());
      if (!hay.some((s) => s.includes(q))) return false;
    }
    return true;
  }

  // ---- data ----
  async function reload() {
    const q = filterQuery(currentFilter());
    const res = await fetch('/api/flows?limit=10000' + (q ? '&' + q : ''), { headers: { Accept: 'application/json' } });
    if (!res.ok) { toast('cannot load flows: ' + res.status + ' ' + (await res.text())); return; }
    const body = await res.json();
    byId.clear();
    order = [];
    for (const r of body.flows) { byId.set(r.id, r); order.push(r.id); }
    render(true);
    if (selected && byId.has(selected)) openDetail(selected, false);
  }

  function merge(batch) {
    const f = currentFilter();
    let added = false;
    for (const r of batch) {
      const known = byId.has(r.id);
      if (!matches(r, f)) {
        if (known) { byId.delete(r.id); order = order.filter((id) => id !== r.id); added = true; }
        continue;
      }
      byId.set(r.id, r);
      if (!known) { insertId(r.id); added = true; }
      if (detailFlow && detailFlow.id === r.id && r.ended && !detailFlow.ended) openDetail(r.id, false);
    }
    while (order.length > MAX_KEPT) byId.delete(order.pop());
    render(added);
  }

  // order is newest first (descending ids); most new flows belong at the top
  function insertId(id) {
    if (order.length === 0 || id > order[0]) { order.unshift(id); return; }
    let lo = 0, hi = order.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (order[mid] > id) lo = mid + 1; else hi = mid; }
    order.splice(lo, 0, id);
  }

  function connect() {
    if (source) source.close();
    source = new EventSource('/api/events');
    source.addEventListener('open', () => { setLive(); reload(); });
    source.addEventListener('flows', (e) => {
      const batch = JSON.parse(e.data);
      if (paused) { for (const r of batch) held.set(r.id, r); setLive(); return; }
      merge(batch);
    });
    source.addEventListener('reset', () => { if (!paused) reload(); });
    source.addEventListener('error', () => { $('live').textContent = 'reconnecting…'; $('live').className = 'live off'; });
  }

  function setLive() {
    const el = $('live');
    if (paused) { el.textContent = 'paused' + (held.size ? ' · ' + held.size + ' waiting' : ''); el.className = 'live paused'; }
    else { el.textContent = 'live'; el.className = 'live on'; }
  }

  function togglePause() {
    paused = !paused;
    $('pause').textContent = paused ? 'Resume' : 'Pause';
    $('pause').setAttribute('aria-pressed', String(paused));
    if (!paused && held.size) { const batch = [...held.values()]; held = new Map(); merge(batch); }
    setLive();
  }

  // ---- the virtual list ----
  const pool = [];
  function render(sizeChanged) {
    if (sizeChanged) spacer.style.height = (order.length * ROW) + 'px';
    $('empty').hidden = order.length > 0;
    $('count').textContent = order.length.toLocaleString() + ' flows';
    const top = rowsEl.scrollTop;
    const first = Math.max(0, Math.floor(top / ROW) - 5);
    const last = Math.min(order.length, Math.ceil((top + rowsEl.clientHeight) / ROW) + 5);
    let used = 0;
    for (let i = first; i < last; i++, used++) {
      const el = pool[used] || makeRow();
      fillRow(el, byId.get(order[i]), i);
    }
    for (let j = used; j < pool.length; j++) pool[j].hidden = true;
  }

  function makeRow() {
    const el = document.createElement('div');
    el.className = 'row';
    el.setAttribute('role', 'row');
    for (const c of ['time', 'client', 'method', 'url', 'status', 'mode', 'ver', 'up', 'down', 'dur', 'err']) {
      const s = document.createElement('span');
      s.className = 'c-' + c;
      el.appendChild(s);
    }
    el.addEventListener('click', () => select(Number(el.dataset.id), true));
    rowsEl.appendChild(el);
    pool.push(el);
    return el;
  }

  function fillRow(el, r, i) {
    el.hidden = false;
    el.style.transform = 'translateY(' + (i * ROW) + 'px)';
    el.dataset.id = r.id;
    el.className = 'row' + (r.id === selected ? ' selected' : '') + (r.error ? ' failed' : '') + (r.ended ? '' : ' running')
        + ' m-' + (r.mode || 'none') + ' s' + (r.status ? Math.floor(r.status / 100) : 0);
    const c = el.children;
    c[0].textContent = time(r.start);
    c[1].textContent = r.client || '';
    c[2].textContent = r.method || '';
    c[3].textContent = r.url || '';
    c[3].title = r.url || '';
    c[4].textContent = r.status || (r.ended ? '–' : '…');
    c[5].textContent = r.mode || '';
    c[6].textContent = (r.version || '').replace('HTTP/', '');
    c[7].textContent = size(r.bytesUp);
    c[8].textContent = size(r.bytesDown);
    c[9].textContent = r.ended ? (r.durationMs < 1 ? '<1 ms' : dur(r.durationMs)) : '…';
    c[10].textContent = r.error || '';
    c[10].title = r.error || '';
  }

  function select(id, open) {
    selected = id;
    saveFilterToUrl();
    render(false);
    if (open) openDetail(id, true);
  }

  function moveSelection(delta) {
    if (!order.length) return;
    let i = selected ? order.indexOf(selected) : -1;
    i = Math.max(0, Math.min(order.length - 1, i + delta));
    selected = order[i];
    const y = i * ROW;
    if (y < rowsEl.scrollTop) rowsEl.scrollTop = y;
    else if (y + ROW > rowsEl.scrollTop + rowsEl.clientHeight) rowsEl.scrollTop = y + ROW - rowsEl.clientHeight;
    saveFilterToUrl();
    render(false);
    if (!detail.hidden) openDetail(selected, false);
  }

  // ---- the detail pane ----
  async function openDetail(id, focus) {
    const res = await fetch('/api/flows/' + id, { headers: { Accept: 'application/json' } });
    if (!res.ok) { toast('flow ' + id + ': ' + (await res.text())); return; }
    const f = await res.json();
    if (selected !== id) return;
    detailFlow = f;
    detail.hidden = false;
    $('split').classList.add('narrow');
    $('d-title').textContent = '#' + f.id + ' ' + (f.method || '') + ' ' + (f.status || '');
    dBody.replaceChildren(...[
      section('Summary', table([
        ['URL', f.url], ['Mode', f.mode], ['Status', f.status || (f.ended ? 'none' : 'running')],
        ['Client', f.client], ['Upstream', f.upstream],
        ['HTTP', (f.version || '?') + ' → ' + (f.upstreamVersion || '?') + (f.streamId ? ' (stream ' + f.streamId + ')' : '')],
        ['Bytes', size(f.bytesUp) + ' up, ' + size(f.bytesDown) + ' down'],
        ['Started', new Date(f.start).toISOString()], ['Duration', f.ended ? (f.durationMs < 1 ? '<1 ms' : dur(f.durationMs)) : 'running'],
      ])),
      f.error ? section('Error', errorBox(f)) : null,
      section('Timing', timing(f.timings)),
      section('TLS', table([
        ['SNI', f.tls.sni], ['Client leg', join(f.tls.clientProtocol, f.tls.clientCipher)], ['Client ALPN', f.tls.alpn],
        ['Upstream leg', join(f.tls.upstreamProtocol, f.tls.upstreamCipher)], ['Upstream ALPN', f.tls.upstreamAlpn],
        ['Upstream certificate', f.tls.upstreamSubject], ['Verification', f.tls.verifyError
          || (f.tls.upstreamUnverified ? 'OFF (--insecure-upstream)' : (f.tls.upstreamProtocol ? 'verified' : null))],
      ])),
      section('Request headers', headers(f.requestHeaders)),
      section('Response headers', headers(f.responseHeaders)),
      f.requestBody ? section('Request body', body(f.requestBody)) : null,
      f.responseBody ? section('Response body', body(f.responseBody)) : null,
      (!f.requestBody && !f.responseBody) ? note('Bodies are not kept for this host (admin.capture.hosts).') : null,
    ].filter((n) => n !== null));
    if (focus) rowsEl.focus();
  }

  function closeDetail() {
    detail.hidden = true;
    $('split').classList.remove('narrow');
    detailFlow = null;
    selected = null;
    saveFilterToUrl();
    render(false);
  }

  function section(title, content) {
    const s = document.createElement('section');
    const h = document.createElement('h3');
    h.textContent = title;
    s.append(h, content);
    return s;
  }
  function note(text) { const p = document.createElement('p'); p.className = 'note'; p.textContent = text; return p; }
  function table(pairs) {
    const t = document.createElement('table');
    t.className = 'kv';
    for (const [k, v] of pairs) {
      if (v === null || v === undefined || v === '') continue;
      const tr = t.insertRow();
      const th = document.createElement('th'); th.textContent = k;
      const td = tr.insertCell(); td.textContent = String(v);
      tr.prepend(th);
    }
    if (!t.rows.length) return note('none');
    return t;
  }
  function headers(lines) {
    if (!lines || !lines.length) return note('none');
    return table(lines.map(([k, v]) => [k, v]));
  }
  function errorBox(f) {
    const d = document.createElement('div');
    d.className = 'error';
    const p = document.createElement('p'); p.textContent = f.error; d.append(p);
    if (f.advice) { const a = document.createElement('p'); a.className = 'advice'; a.textContent = f.advice; d.append(a); }
    return d;
  }
  function timing(t) {
    const phases = [['DNS', t.dnsUs], ['Connect', t.connectUs], ['Upstream TLS', t.upstreamTlsUs],
      ['Client TLS', t.clientTlsUs], ['First byte', t.firstByteUs], ['Total', t.totalUs]];
    const max = Math.max(1, ...phases.map((p) => p[1]));
    const wrap = document.createElement('div');
    wrap.className = 'timing';
    for (const [name, us] of phases) {
      if (us < 0) continue;
      const row = document.createElement('div'); row.className = 'phase';
      const label = document.createElement('span'); label.textContent = name;
      const bar = document.createElement('span'); bar.className = 'barfill';
      bar.style.width = Math.max(1, Math.round(100 * us / max)) + '%';
      const val = document.createElement('span'); val.textContent = dur(us / 1000);
      row.append(label, bar, val);
      wrap.append(row);
    }
    return wrap.children.length ? wrap : note('no phases recorded');
  }
  function body(b) {
    const wrap = document.createElement('div');
    wrap.append(note(size(b.size) + (b.truncated ? ', first ' + size(b.kept) + ' kept' : '') + ' · ' + b.kind));
    const pre = document.createElement('pre');
    pre.className = 'body';
    pre.textContent = b.kind === 'binary' ? b.hex : b.text;
    wrap.append(pre);
    return wrap;
  }

  // ---- copy as curl ----
  const SKIP = new Set(['host', 'content-length', 'connection', 'proxy-connection', 'keep-alive', 'transfer-encoding',
    'te', 'upgrade', 'proxy-authorization']);
  function quote(s) { return "'" + String(s).replace(/'/g, "'\\''") + "'"; }
  function curlOf(f) {
    const parts = ['curl'];
    if (f.method && f.method !== 'GET' && f.method !== 'CONNECT') parts.push('-X', f.method);
    const url = f.url && f.url.includes('://') ? f.url : 'https://' + f.url + '/';
    parts.push(quote(url));
    for (const [k, v] of f.requestHeaders || []) {
      if (SKIP.has(k.toLowerCase()) || k.startsWith(':')) continue;
      parts.push('-H', quote(k + ': ' + v));
    }
    if (f.requestBody && f.requestBody.kind !== 'binary') parts.push('--data-raw', quote(f.requestBody.text));
    return parts.join(' ');
  }
  async function copyCurl() {
    if (!detailFlow) return;
    const text = curlOf(detailFlow);
    try {
      await navigator.clipboard.writeText(text);
    } catch (e) {
      const ta = document.createElement('textarea');
      ta.value = text; document.body.append(ta); ta.select(); document.execCommand('copy'); ta.remove();
    }
    document.body.dataset.lastCopy = text;
    toast('copied: ' + text.slice(0, 120) + (text.length > 120 ? '…' : ''));
  }

  // ---- small helpers ----
  function time(ms) {
    const d = new Date(ms);
    return d.toLocaleTimeString([], { hour12: false }) + '.' + String(d.getMilliseconds()).padStart(3, '0');
  }
  function size(n) {
    if (!n) return '0';
    if (n < 1024) return n + ' B';
    if (n < 1048576) return (n / 1024).toFixed(1) + ' KiB';
    return (n / 1048576).toFixed(1) + ' MiB';
  }
  function dur(ms) {
    if (ms < 0 || ms === undefined) return '';
    if (ms < 1) return (ms * 1000).toFixed(0) + ' µs';
    if (ms < 1000) return ms.toFixed(ms < 10 ? 1 : 0) + ' ms';
    return (ms / 1000).toFixed(2) + ' s';
  }
  function join(a, b) { return a ? (b ? a + ' ' + b : a) : null; }
  let toastTimer = 0;
  function toast(text) {
    const t = $('toast'); t.textContent = text; t.hidden = false;
    clearTimeout(toastTimer); toastTimer = setTimeout(() => { t.hidden = true; }, 3000);
  }

  // ---- wiring ----
  let filterTimer = 0;
  function filterChanged() {
    clearTimeout(filterTimer);
    filterTimer = setTimeout(() => { saveFilterToUrl(); reload(); }, 200);
  }
  form.addEventListener('input', filterChanged);
  form.addEventListener('change', filterChanged);
  form.addEventListener('submit', (e) => e.preventDefault());
  rowsEl.addEventListener('scroll', () => render(false), { passive: true });
  window.addEventListener('resize', () => render(false));
  $('pause').addEventListener('click', togglePause);
  $('close').addEventListener('click', closeDetail);
  $('curl').addEventListener('click', copyCurl);
  document.addEventListener('keydown', (e) => {
    const typing = e.target.matches('input, select, textarea');
    if (e.key === 'Escape') { if (typing) e.target.blur(); else closeDetail(); return; }
    if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'j' || e.key === 'ArrowDown') { moveSelection(1); e.preventDefault(); }
    else if (e.key === 'k' || e.key === 'ArrowUp') { moveSelection(-1); e.preventDefault(); }
    else if (e.key === 'Enter' && selected) { openDetail(selected, true); }
    else if (e.key === 'p') { togglePause(); }
    else if (e.key === '/') { form.elements.q.focus(); e.preventDefault(); }
    else if (e.key === 'c') { copyCurl(); }
  });

  loadFilterFromUrl();
  saveFilterToUrl();
  connect();
})();
