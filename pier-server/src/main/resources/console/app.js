// Pier web console: a small single-page app over the REST API (docs/api.md).
// Auth is the HttpOnly session cookie; state-changing calls repeat the session's CSRF token in
// the X-CSRF-Token header. Everything user-supplied goes into the page through textContent.
'use strict';

const session = { csrf: null, user: null };
let cleanup = null; // closes what the current page opened (e.g. the log stream)

// ---------- DOM helpers ----------

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const SVG = 'http://www.w3.org/2000/svg';
function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

function showError(message) {
  const box = document.getElementById('error');
  box.textContent = message;
  box.hidden = !message;
}

function stateBadge(state) {
  return h('span', { class: 'state state-' + state }, state);
}

function uptime(seconds) {
  if (seconds === null || seconds === undefined) return '';
  const d = Math.floor(seconds / 86400), hr = Math.floor(seconds % 86400 / 3600);
  const m = Math.floor(seconds % 3600 / 60), sec = seconds % 60;
  if (d) return d + 'd ' + hr + 'h';
  if (hr) return hr + 'h ' + m + 'm';
  if (m) return m + 'm ' + sec + 's';
  return sec + 's';
}

function formation(f) {
  const parts = Object.entries(f || {}).map(([t, n]) => t + '=' + n);
  return parts.length ? parts.join(' ') : '—';
}

// ---------- API ----------

class ApiError extends Error {
  constructor(status, detail) { super(detail); this.status = status; }
}

async function problem(res) {
  let detail = res.status + ' ' + res.statusText;
  try {
    const body = await res.json();
    if (body && body.detail) detail = body.detail;
  } catch (e) { /* not JSON */ }
  if (res.status === 401) { location.href = '/console/login'; }
  return new ApiError(res.status, detail);
}

function headers(method, hasBody) {
  const hd = { 'Accept': 'application/json' };
  if (hasBody) hd['Content-Type'] = 'application/json';
  if (method !== 'GET') hd['X-CSRF-Token'] = session.csrf;
  return hd;
}

async function api(method, path, body) {
  const res = await fetch(path, {
    method, credentials: 'same-origin', headers: headers(method, body !== undefined),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw await problem(res);
  return res.json();
}

// Long operations answer NDJSON: output lines, then one result line. Shows the lines in `out`
// as they come and returns the result object.
async function stream(method, path, body, out) {
  out.hidden = false;
  out.textContent = '';
  const res = await fetch(path, {
    method, credentials: 'same-origin', headers: headers(method, true), body: JSON.stringify(body),
  });
  if (!res.ok) throw await problem(res);
  const text = await res.text();
  let result = null;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let msg;
    try { msg = JSON.parse(line); } catch (e) { out.append(line + '\n'); continue; }
    if (msg.type === 'result') result = msg;
    else if (msg.line !== undefined) out.append(msg.line + '\n');
  }
  if (!result) throw new Error('the operation ended without a result; see the app logs');
  out.append(result.status === 'succeeded'
    ? 'Succeeded' + (result.release ? ': release v' + result.release : '') + '\n'
    : 'Failed: ' + result.error + '\n');
  return result;
}

// Runs an action from a button: disables it, shows errors, re-renders on success.
async function act(button, fn, after) {
  showError('');
  button.disabled = true;
  try {
    await fn();
    if (after) await after();
  } catch (e) {
    showError(e.message);
  } finally {
    button.disabled = false;
  }
}

// ---------- routing ----------

const TABS = ['versions', 'instances', 'charts', 'logs', 'config', 'releases', 'builds', 'cron', 'domains', 'addons'];

async function route() {
  if (cleanup) { cleanup(); cleanup = null; }
  showError('');
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const main = document.getElementById('main');
  const crumbs = document.getElementById('crumbs');
  crumbs.replaceChildren(h('a', { href: '#/' }, 'Apps'));
  try {
    if (parts[0] === 'apps' && parts[1]) {
      const app = parts[1];
      const tab = TABS.includes(parts[2]) ? parts[2] : 'versions';
      crumbs.append(' / ', h('a', { href: '#/apps/' + encodeURIComponent(app) }, app));
      await appPage(main, app, tab);
    } else {
      await appsPage(main);
    }
  } catch (e) {
    main.replaceChildren(h('p', { class: 'error', id: 'page-error' }, e.message));
  }
}

// ---------- apps list ----------

async function appsPage(main) {
  const apps = await api('GET', '/apps');
  const rows = apps.map(a => h('tr', { 'data-app': a.name },
    h('td', {}, h('a', { href: '#/apps/' + encodeURIComponent(a.name), class: 'app-link' }, a.name)),
    h('td', {}, h('a', { href: a.web_url, target: '_blank', rel: 'noopener' }, a.web_url)),
    h('td', {}, a.release === null ? 'not deployed' : 'v' + a.release),
    h('td', {}, formation(a.formation))));
  // No pattern here: the API's message says what a valid name is.
  const newName = h('input', { id: 'create-name', placeholder: 'name (optional)', 'aria-label': 'new app name' });
  const create = h('button', { type: 'submit', class: 'primary', id: 'create-app' }, 'Create app');
  const createForm = h('form', { class: 'row', id: 'create-form' }, newName, create);
  createForm.addEventListener('submit', ev => {
    ev.preventDefault();
    act(create, async () => {
      const name = newName.value.trim();
      const made = await api('POST', '/apps', name ? { name } : {});
      location.hash = '#/apps/' + encodeURIComponent(made.name);
    });
  });
  main.replaceChildren(
    h('h2', {}, 'Apps'),
    createForm,
    apps.length === 0
      ? h('p', { class: 'muted' }, 'No apps yet. Create one here or with `pier apps:create`, then push to it.')
      : h('table', { id: 'apps' },
          h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Web URL'), h('th', {}, 'Release'), h('th', {}, 'Formation'))),
          h('tbody', {}, rows)));
}

// ---------- app page ----------

function summary(app) {
  return [h('a', { href: app.web_url, target: '_blank', rel: 'noopener' }, app.web_url),
    ' · release ', app.release === null ? 'none' : 'v' + app.release,
    ' · formation ', formation(app.formation)];
}

// Redraws the app's header line after an action changed its release or formation.
async function refreshSummary(name) {
  const app = await api('GET', '/apps/' + encodeURIComponent(name));
  const line = document.getElementById('app-summary');
  if (line) line.replaceChildren(...summary(app));
}

async function appPage(main, name, tab) {
  const app = await api('GET', '/apps/' + encodeURIComponent(name));
  const base = '#/apps/' + encodeURIComponent(name) + '/';
  const body = h('div', { id: 'tab-' + tab });
  // #12 custom domains: listed under the summary once known (the built-in one is the web URL above).
  const domainsLine = h('p', { class: 'muted', id: 'app-domains', hidden: true });
  api('GET', '/apps/' + encodeURIComponent(name) + '/domains').then(all => {
    const custom = all.filter(d => d.kind === 'custom').map(d => d.hostname);
    if (custom.length > 0) {
      domainsLine.replaceChildren('Custom domains: ' + custom.join(', '));
      domainsLine.hidden = false;
    }
  }).catch(() => {});
  main.replaceChildren(
    h('h2', {}, app.name),
    h('p', { class: 'muted', id: 'app-summary' }, summary(app)),
    domainsLine,
    h('nav', { class: 'tabs' }, TABS.map(t =>
      h('a', { href: base + t, id: 'tab-link-' + t, class: t === tab ? 'active' : '' }, t[0].toUpperCase() + t.slice(1)))),
    body);
  const render = { versions: versionsTab, instances: instancesTab, charts: chartsTab, logs: logsTab,
    config: configTab, releases: releasesTab, builds: buildsTab, cron: cronTab, domains: domainsTab,
    addons: addonsTab }[tab];
  await render(body, app);
}

// ---------- add-ons (#11) ----------

function megabytes(bytes) {
  return bytes < 0 ? '' : (bytes / 1048576).toFixed(1) + ' MB';
}

async function addonsTab(body, app) {
  const enc = encodeURIComponent(app.name);
  const list = await api('GET', '/apps/' + enc + '/addons');
  const rows = await Promise.all(list.map(async a => {
    const info = await api('GET', '/addons/' + encodeURIComponent(a.name));
    const backups = a.kind === 'postgres'
      ? await api('GET', '/addons/' + encodeURIComponent(a.name) + '/backups').catch(() => []) : [];
    const mine = (a.attachments || []).find(at => at.app === app.name) || { config_vars: [] };
    const last = backups.length ? backups[backups.length - 1] : null;
    const s = info.status || {};
    return h('tr', { 'data-addon': a.name },
      h('td', {}, a.name), h('td', {}, a.kind + ':' + a.plan), h('td', {}, stateBadge(a.state)),
      h('td', {}, (s.state || '') + (s.version ? ' (' + s.version + ')' : '')),
      h('td', { class: 'num' }, megabytes(s.data_bytes ?? -1)),
      h('td', { class: 'num' }, s.connections >= 0 ? String(s.connections) : ''),
      h('td', {}, a.kind === 'postgres' ? backups.length + (last ? ', last ' + last.id + ' ' + last.created_at : '') : ''),
      h('td', {}, mine.config_vars.join(', ')));
  }));
  body.replaceChildren(h('section', {},
    h('h3', {}, 'Add-ons'),
    list.length === 0
      ? h('p', { class: 'muted', id: 'no-addons' }, 'No add-ons. Create one with `pier addons:create postgres -a ' + app.name + '`.')
      : h('table', { id: 'addons' },
          h('thead', {}, h('tr', {}, ['Add-on', 'Plan', 'State', 'Server', 'Size', 'Connections', 'Backups', 'Config vars']
            .map(t => h('th', {}, t)))),
          h('tbody', {}, rows))));
}

// ---------- versions and traffic ----------

async function versionsTab(body, app, keptOutput) {
  const enc = encodeURIComponent(app.name);
  const [data, releases] = await Promise.all([
    api('GET', '/apps/' + enc + '/versions'), api('GET', '/apps/' + enc + '/releases')]);
  // The output of the last traffic change stays visible when the table is redrawn.
  const out = keptOutput || h('pre', { class: 'output', id: 'traffic-output', hidden: true });
  const reload = () => refreshSummary(app.name).then(() => versionsTab(body, app, out));
  const inputs = {};
  const rows = data.versions.map(v => {
    const share = h('input', { type: 'number', min: 0, max: 100, step: 1, value: v.percent, class: 'share',
      id: 'share-v' + v.version, 'aria-label': 'share of v' + v.version });
    inputs[v.version] = share;
    const migrate = h('button', { id: 'migrate-v' + v.version }, 'Migrate all traffic');
    migrate.addEventListener('click', () => act(migrate,
      () => stream('POST', '/apps/' + enc + '/traffic/migrate', { version: v.version, gradual: gradual.checked }, out), reload));
    const stop = h('button', { class: 'danger', id: 'stop-v' + v.version, disabled: v.percent > 0 }, 'Stop');
    stop.addEventListener('click', () => act(stop,
      () => api('POST', '/apps/' + enc + '/versions/' + v.version + '/stop'), reload));
    return h('tr', { 'data-version': v.version },
      h('td', {}, 'v' + v.version), h('td', {}, stateBadge(v.state)), h('td', { class: 'num' }, v.instances),
      h('td', { class: 'num' }, share, ' %'),
      h('td', {}, h('a', { href: v.version_url, target: '_blank', rel: 'noopener' }, v.version_url)),
      h('td', {}, v.description || ''), h('td', {}, migrate, ' ', stop));
  });
  const startable = releases.filter(r => r.state === 'stopped' && r.slug_available);
  const stoppedRows = startable.map(r => {
    const start = h('button', { id: 'start-v' + r.version }, 'Start');
    start.addEventListener('click', () => act(start,
      () => api('POST', '/apps/' + enc + '/versions/' + r.version + '/start'), reload));
    return h('tr', {}, h('td', {}, 'v' + r.version), h('td', {}, stateBadge(r.state)), h('td', { class: 'num' }, 0),
      h('td', {}, ''), h('td', {}, ''), h('td', {}, r.description || ''), h('td', {}, start));
  });
  const splitBy = h('select', { id: 'split-by' },
    ['random', 'cookie', 'ip'].map(m => h('option', { value: m, selected: m === data.split_by }, m)));
  const gradual = h('input', { type: 'checkbox', id: 'gradual' });
  const apply = h('button', { class: 'primary', id: 'apply-split' }, 'Apply split');
  apply.addEventListener('click', () => act(apply, async () => {
    const allocations = {};
    let total = 0;
    for (const [v, input] of Object.entries(inputs)) {
      const n = Number(input.value);
      if (!Number.isInteger(n) || n < 0 || n > 100) throw new Error('Share of v' + v + ' must be a whole number from 0 to 100');
      if (n > 0) allocations[v] = n;
      total += n;
    }
    if (total !== 100) throw new Error('Shares add up to ' + total + '%; they must add up to 100%');
    const result = await stream('PUT', '/apps/' + enc + '/traffic', { allocations, split_by: splitBy.value }, out);
    if (result.status !== 'succeeded') throw new Error('Traffic change failed: ' + result.error);
  }, reload));
  body.replaceChildren(
    h('section', {},
      h('h3', {}, 'Versions and traffic'),
      h('table', { id: 'versions' },
        h('thead', {}, h('tr', {}, ['Version', 'State', 'Instances', 'Traffic', 'Version URL', 'Description', ''].map(t => h('th', {}, t)))),
        h('tbody', {}, rows, stoppedRows)),
      h('div', { class: 'row' }, h('label', { for: 'split-by' }, 'Split by'), splitBy, apply,
        h('label', {}, gradual, ' gradual migration (10 → 25 → 50 → 75 → 100 %)')),
      out));
}

// ---------- instances ----------

async function instancesTab(body, app) {
  const enc = encodeURIComponent(app.name);
  const [ps, metrics] = await Promise.all([
    api('GET', '/apps/' + enc + '/ps'), api('GET', '/apps/' + enc + '/metrics?since=5m')]);
  const usage = {};
  for (const i of metrics.instances || []) usage[i.instance + '/' + i.version] = i;
  const rows = ps.map(p => {
    const u = usage[p.name + '/' + p.version] || {};
    return h('tr', { 'data-instance': p.name },
      h('td', {}, p.name), h('td', {}, p.version), h('td', {}, stateBadge(p.state)),
      h('td', { class: 'num' }, uptime(p.uptime_seconds)),
      h('td', { class: 'num' }, u.memory_rss_mb === undefined ? '—' : u.memory_rss_mb.toFixed(1)),
      h('td', { class: 'num' }, u.cpu_load === undefined ? '—' : (u.cpu_load * 100).toFixed(1) + ' %'),
      h('td', { class: 'num' }, p.restarts), h('td', {}, p.command));
  });
  const formation = app.release === null ? {} : await api('GET', '/apps/' + enc + '/formation');
  const counts = {};
  const scaleRows = Object.keys(formation).sort().map(type => {
    counts[type] = h('input', { type: 'number', min: 0, max: 100, step: 1, value: formation[type], class: 'share',
      id: 'scale-' + type, 'aria-label': 'number of ' + type + ' instances' });
    return h('label', {}, type, ' ', counts[type]);
  });
  const scale = h('button', { class: 'primary', id: 'scale-apply' }, 'Scale');
  scale.addEventListener('click', () => act(scale, async () => {
    const change = {};
    for (const [type, input] of Object.entries(counts)) {
      const n = Number(input.value);
      if (!Number.isInteger(n) || n < 0 || n > 100) throw new Error(type + ' must be a whole number from 0 to 100');
      if (n !== formation[type]) change[type] = n;
    }
    if (Object.keys(change).length) await api('PATCH', '/apps/' + enc + '/formation', change);
  }, () => refreshSummary(app.name).then(() => instancesTab(body, app))));
  const restart = h('button', { id: 'restart-all' }, 'Restart all');
  restart.addEventListener('click', () => act(restart,
    () => api('POST', '/apps/' + enc + '/ps/restart', {}), () => instancesTab(body, app)));
  body.replaceChildren(h('section', {},
    h('h3', {}, 'Instances'),
    ps.length === 0 ? h('p', { class: 'muted' }, 'No instances run.') :
      h('table', { id: 'instances' },
        h('thead', {}, h('tr', {}, ['Name', 'Version', 'State', 'Uptime', 'Memory MB', 'CPU', 'Restarts', 'Command']
          .map(t => h('th', { class: ['Uptime', 'Memory MB', 'CPU', 'Restarts'].includes(t) ? 'num' : '' }, t)))),
        h('tbody', {}, rows)),
    h('div', { class: 'row' }, restart),
    h('h3', {}, 'Scale'),
    scaleRows.length === 0 ? h('p', { class: 'muted' }, 'Deploy the app first: its process types come from the release.') :
      h('div', { class: 'row', id: 'scale-form' }, scaleRows, scale)),
    destroySection(app));
}

// Destroying needs the app's name typed again; only then is the button enabled.
function destroySection(app) {
  const typed = h('input', { id: 'destroy-confirm', placeholder: app.name, autocomplete: 'off',
    'aria-label': 'type ' + app.name + ' to confirm' });
  const destroy = h('button', { class: 'danger', id: 'destroy-app', disabled: true }, 'Destroy app');
  typed.addEventListener('input', () => { destroy.disabled = typed.value !== app.name; });
  destroy.addEventListener('click', () => act(destroy, async () => {
    if (typed.value !== app.name) throw new Error('Type ' + app.name + ' to confirm');
    await api('DELETE', '/apps/' + encodeURIComponent(app.name));
    location.hash = '#/';
  }));
  return h('section', { class: 'danger-zone' }, h('h3', {}, 'Destroy'),
    h('p', { class: 'muted' }, 'Stops every instance and deletes the app: its git repository, releases, slugs and config. ' +
      'Type the app\'s name to confirm.'),
    h('div', { class: 'row' }, typed, destroy));
}

// ---------- charts ----------

const COLORS = ['#5a3fc0', '#e07b00', '#c0392b'];

function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

function fmt(v) {
  if (v >= 100) return v.toFixed(0);
  if (v >= 10) return v.toFixed(1);
  return v.toFixed(2).replace(/\.?0+$/, '') || '0';
}

// One line chart: series = [{label, values: [number|null]}], times = ISO strings.
function chart(id, title, unit, times, series) {
  const W = 520, H = 200, L = 48, R = 10, T = 10, B = 24;
  const all = series.flatMap(x => x.values).filter(v => v !== null && v !== undefined && isFinite(v));
  const max = niceMax(all.length ? Math.max(...all) : 0);
  const n = times.length;
  const x = i => L + (n <= 1 ? (W - L - R) / 2 : i * (W - L - R) / (n - 1));
  const y = v => T + (H - T - B) * (1 - v / max);
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title, id });
  for (let k = 0; k <= 4; k++) {
    const v = max * k / 4;
    svg.append(s('line', { class: 'grid', x1: L, x2: W - R, y1: y(v), y2: y(v) }));
    svg.append(s('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end' }, fmt(v)));
  }
  svg.append(s('line', { class: 'axis', x1: L, x2: L, y1: T, y2: H - B }));
  svg.append(s('line', { class: 'axis', x1: L, x2: W - R, y1: H - B, y2: H - B }));
  if (n) {
    const t = iso => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
    svg.append(s('text', { x: L, y: H - 6 }, t(times[0])));
    svg.append(s('text', { x: W - R, y: H - 6, 'text-anchor': 'end' }, t(times[n - 1])));
  }
  series.forEach((ser, si) => {
    // Gaps (null values) split the line into several polylines.
    let pts = [];
    const flush = () => {
      if (pts.length) {
        svg.append(s('polyline', { points: pts.join(' '), fill: 'none', stroke: COLORS[si % COLORS.length],
          'stroke-width': 2, 'stroke-linejoin': 'round', 'data-series': ser.label }));
        if (pts.length === 1) {
          const [cx, cy] = pts[0].split(',');
          svg.append(s('circle', { cx, cy, r: 3, fill: COLORS[si % COLORS.length] }));
        }
      }
      pts = [];
    };
    ser.values.forEach((v, i) => {
      if (v === null || v === undefined || !isFinite(v)) flush();
      else pts.push(x(i).toFixed(1) + ',' + y(v).toFixed(1));
    });
    flush();
  });
  const legend = h('div', { class: 'legend' }, series.map((ser, si) =>
    h('span', {}, h('span', { class: 'swatch swatch-' + si }), ser.label)));
  return h('div', { class: 'chart' }, h('h3', {}, title + ' (' + unit + ')'), legend, svg);
}

async function chartsTab(body, app) {
  const m = await api('GET', '/apps/' + encodeURIComponent(app.name) + '/metrics?since=1h');
  const pts = m.points || [];
  const times = pts.map(p => p.time);
  const ms = key => pts.map(p => (p.requests > 0 ? p[key] : null));
  const sum = m.summary || {};
  body.replaceChildren(h('section', {},
    h('h3', {}, 'Last hour (' + m.resolution_seconds + ' s points)'),
    h('p', { class: 'muted', id: 'summary' },
      (sum.requests || 0) + ' requests · p50 ' + (sum.p50_ms ?? '—') + ' ms · p95 ' + (sum.p95_ms ?? '—') +
      ' ms · p99 ' + (sum.p99_ms ?? '—') + ' ms · error rate ' + ((sum.error_rate || 0) * 100).toFixed(1) + ' %'),
    pts.length === 0 ? h('p', { class: 'muted', id: 'no-points' }, 'No metrics yet: send some requests and wait 10 s.') :
      h('div', { class: 'charts' },
        chart('chart-latency', 'Response time', 'ms', times,
          [{ label: 'p50', values: ms('p50_ms') }, { label: 'p95', values: ms('p95_ms') }, { label: 'p99', values: ms('p99_ms') }]),
        chart('chart-throughput', 'Throughput', 'requests/min', times,
          [{ label: 'requests per minute', values: pts.map(p => p.requests_per_minute) }]),
        chart('chart-memory', 'Memory', 'MB', times,
          [{ label: 'resident memory, all instances', values: pts.map(p => p.memory_rss_bytes / 1048576) }]),
        chart('chart-cpu', 'CPU', '% of one core', times,
          [{ label: 'CPU, all instances', values: pts.map(p => p.cpu_load * 100) }]))));
}

// ---------- ANSI colours in log lines ----------

// Turns a log line with ANSI escape sequences into nodes: SGR colours (8/16 colours, 256 and
// truecolor, bold, italic, underline, reset) become <span>s with classes or a colour style; every
// other escape sequence and control character is dropped. The text goes in only through text
// nodes, never as markup, so a line like "<img src=x onerror=...>" shows as text.
const ANSI_SEQ = /\x1b\[([0-9;:?<=>]*)[ -\/]*([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[ -\/]*[0-~]?/g;
const XTERM_16 = ['#000000', '#cd3131', '#0dbc79', '#e5e510', '#2472c8', '#bc3fbc', '#11a8cd', '#e5e5e5',
  '#666666', '#f14c4c', '#23d18b', '#f5f543', '#3b8eea', '#d670d6', '#29b8db', '#ffffff'];

function xterm256(n) {
  if (n < 16) return XTERM_16[n];
  if (n < 232) {
    const v = [0, 95, 135, 175, 215, 255];
    const i = n - 16;
    return 'rgb(' + v[Math.floor(i / 36)] + ',' + v[Math.floor(i / 6) % 6] + ',' + v[i % 6] + ')';
  }
  const g = 8 + (n - 232) * 10;
  return 'rgb(' + g + ',' + g + ',' + g + ')';
}

function applySgr(style, params) {
  const p = params === '' ? [0] : params.split(/[;:]/).map(x => (x === '' ? 0 : Number(x)));
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === 0) { style.fg = null; style.bg = null; style.bold = style.italic = style.underline = false; }
    else if (c === 1) style.bold = true;
    else if (c === 3) style.italic = true;
    else if (c === 4) style.underline = true;
    else if (c === 22) style.bold = false;
    else if (c === 23) style.italic = false;
    else if (c === 24) style.underline = false;
    else if (c >= 30 && c <= 37) style.fg = XTERM_16[c - 30];
    else if (c >= 90 && c <= 97) style.fg = XTERM_16[c - 90 + 8];
    else if (c >= 40 && c <= 47) style.bg = XTERM_16[c - 40];
    else if (c >= 100 && c <= 107) style.bg = XTERM_16[c - 100 + 8];
    else if (c === 39) style.fg = null;
    else if (c === 49) style.bg = null;
    else if (c === 38 || c === 48) {
      let colour = null;
      if (p[i + 1] === 5 && p[i + 2] >= 0 && p[i + 2] <= 255) { colour = xterm256(p[i + 2]); i += 2; }
      else if (p[i + 1] === 2 && [p[i + 2], p[i + 3], p[i + 4]].every(v => v >= 0 && v <= 255)) {
        colour = 'rgb(' + p[i + 2] + ',' + p[i + 3] + ',' + p[i + 4] + ')'; i += 4;
      } else break; // malformed: ignore the rest
      if (c === 38) style.fg = colour; else style.bg = colour;
    }
  }
}

// Pure apart from creating DOM nodes: returns [Node] for one line of text.
function ansiNodes(text) {
  text = String(text);
  const out = [];
  const style = { fg: null, bg: null, bold: false, italic: false, underline: false };
  const emit = chunk => {
    // other control characters (not tab) are dropped too
    chunk = chunk.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
    if (!chunk) return;
    if (!style.fg && !style.bg && !style.bold && !style.italic && !style.underline) {
      out.push(document.createTextNode(chunk));
      return;
    }
    const span = document.createElement('span');
    span.className = 'ansi';
    if (style.fg) span.style.color = style.fg;
    if (style.bg) span.style.backgroundColor = style.bg;
    if (style.bold) span.style.fontWeight = 'bold';
    if (style.italic) span.style.fontStyle = 'italic';
    if (style.underline) span.style.textDecoration = 'underline';
    span.textContent = chunk;
    out.push(span);
  };
  let last = 0;
  for (const m of String(text).matchAll(ANSI_SEQ)) {
    emit(text.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[2] === 'm' && m[1] !== undefined && !/[?<=>]/.test(m[1])) applySgr(style, m[1]);
  }
  emit(String(text).slice(last));
  return out;
}

function logLine(text) {
  return h('div', { class: 'line' }, ansiNodes(text));
}

// ---------- logs ----------

async function logsTab(body, app) {
  const enc = encodeURIComponent(app.name);
  const view = h('div', { class: 'logview', id: 'log-view', 'aria-live': 'polite' });
  const status = h('span', { class: 'muted', id: 'log-status' }, 'connecting…');
  const pause = h('input', { type: 'checkbox', id: 'log-pause' });
  const sources = () => [['', 'all sources'], ['app', 'app'], ['router', 'router'], ['platform', 'platform']]
    .map(([v, label]) => h('option', { value: v }, label));
  const liveSource = h('select', { id: 'log-source', 'aria-label': 'live log source' }, sources());
  let es = null;
  const connect = () => {
    if (es) es.close();
    view.replaceChildren();
    status.textContent = 'connecting…';
    const params = new URLSearchParams({ lines: '100' });
    if (liveSource.value) params.set('source', liveSource.value);
    es = new EventSource('/apps/' + enc + '/logs/stream?' + params);
    es.addEventListener('open', () => { status.textContent = 'connected'; });
    es.addEventListener('error', () => { status.textContent = 'reconnecting…'; });
    es.addEventListener('log', e => {
      const atBottom = view.scrollTop + view.clientHeight >= view.scrollHeight - 20;
      view.append(logLine(e.data));
      while (view.childElementCount > 1000) view.firstElementChild.remove();
      if (atBottom && !pause.checked) view.scrollTop = view.scrollHeight;
    });
  };
  liveSource.addEventListener('change', connect);
  connect();
  cleanup = () => es.close();

  const q = h('input', { type: 'search', id: 'log-query', placeholder: 'words or "a phrase"', size: 30 });
  const since = h('select', { id: 'log-since' }, ['15m', '1h', '6h', '24h', '7d'].map(v => h('option', { value: v, selected: v === '1h' }, v)));
  const searchSource = h('select', { id: 'log-search-source', 'aria-label': 'search source' }, sources());
  const results = h('div', { id: 'log-results' });
  const search = h('form', { class: 'row', id: 'log-search' }, q, since, searchSource, h('button', { type: 'submit' }, 'Search'));
  search.addEventListener('submit', async ev => {
    ev.preventDefault();
    showError('');
    try {
      const found = await api('GET', '/apps/' + enc + '/logs/search?' +
        new URLSearchParams({ q: q.value, since: since.value, limit: '200', ...(searchSource.value ? { source: searchSource.value } : {}) }));
      results.replaceChildren(
        h('p', { class: 'muted' }, found.length + ' matching line' + (found.length === 1 ? '' : 's') + ', newest first'),
        h('div', { class: 'logview', id: 'log-search-view' }, found.map(e => logLine(e.line))));
    } catch (e) {
      showError(e.message);
    }
  });
  body.replaceChildren(
    h('section', {}, h('div', { class: 'row' }, h('h3', {}, 'Live logs'), liveSource, status,
      h('label', {}, pause, ' pause scrolling')), view),
    h('section', {}, h('h3', {}, 'Search'), search, results));
}

// ---------- config vars ----------

const MASK = '••••••';

// A config value shown as dots until its Reveal button is pressed (Hide masks it again), so
// secrets do not show on a shared screen. The value is in the page only as text.
function maskedValue(key, value) {
  const code = h('code', { class: 'config-value', 'data-value-of': key }, MASK);
  const toggle = h('button', { type: 'button', class: 'reveal', 'data-reveal': key, 'aria-pressed': 'false',
    'aria-label': 'reveal ' + key }, 'Reveal');
  toggle.addEventListener('click', () => {
    const shown = toggle.getAttribute('aria-pressed') === 'true';
    code.textContent = shown ? MASK : value;
    toggle.textContent = shown ? 'Reveal' : 'Hide';
    toggle.setAttribute('aria-pressed', shown ? 'false' : 'true');
    toggle.setAttribute('aria-label', (shown ? 'reveal ' : 'hide ') + key);
  });
  return [code, ' ', toggle];
}

async function configTab(body, app) {
  const enc = encodeURIComponent(app.name);
  const config = await api('GET', '/apps/' + enc + '/config');
  const msg = h('p', { id: 'config-result', hidden: true, class: 'ok' });
  const reload = () => refreshSummary(app.name).then(() => configTab(body, app));
  const patch = async change => {
    const r = await api('PATCH', '/apps/' + enc + '/config', change);
    return r;
  };
  const rows = Object.keys(config).sort().map(k => {
    const unset = h('button', { class: 'danger', 'data-unset': k }, 'Unset');
    unset.addEventListener('click', () => act(unset, async () => {
      const r = await patch({ [k]: null });
      sessionStorage.setItem('config-msg', 'Unset ' + k + (r.release ? '; release v' + r.release + ' is rolling out' : ''));
    }, reload));
    return h('tr', { 'data-key': k }, h('td', {}, h('code', {}, k)), h('td', {}, maskedValue(k, config[k])), h('td', {}, unset));
  });
  const key = h('input', { id: 'config-key', placeholder: 'KEY', required: true, pattern: '[A-Za-z_][A-Za-z0-9_]*' });
  const value = h('input', { id: 'config-value', placeholder: 'value', size: 40 });
  const set = h('button', { type: 'submit', class: 'primary', id: 'config-set' }, 'Set');
  const form = h('form', { class: 'row', id: 'config-form' }, key, '=', value, set);
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    act(set, async () => {
      const r = await patch({ [key.value]: value.value });
      sessionStorage.setItem('config-msg', 'Set ' + key.value + (r.release ? '; release v' + r.release + ' is rolling out' : ''));
    }, reload);
  });
  const last = sessionStorage.getItem('config-msg');
  if (last) { msg.textContent = last; msg.hidden = false; sessionStorage.removeItem('config-msg'); }
  body.replaceChildren(h('section', {},
    h('h3', {}, 'Config vars'),
    rows.length === 0 ? h('p', { class: 'muted' }, 'No config vars set.') :
      h('table', { id: 'config' }, h('thead', {}, h('tr', {}, h('th', {}, 'Key'), h('th', {}, 'Value'), h('th', {}, ''))),
        h('tbody', {}, rows)),
    form, msg,
    h('p', { class: 'muted' }, 'Each change makes a new release and restarts the instances.')));
}

// ---------- releases ----------

async function releasesTab(body, app, keptOutput) {
  const enc = encodeURIComponent(app.name);
  const releases = await api('GET', '/apps/' + enc + '/releases');
  const out = keptOutput || h('pre', { class: 'output', id: 'rollback-output', hidden: true });
  const rows = releases.map(r => {
    const canRollback = !r.current && r.slug_available && r.state !== 'failed';
    const rollback = canRollback ? h('button', { id: 'rollback-v' + r.version }, 'Roll back to v' + r.version) : '';
    if (rollback) {
      rollback.addEventListener('click', () => {
        if (!confirm('Roll back to v' + r.version + '? This makes a new release with its code and config.')) return;
        act(rollback, async () => {
          const res = await stream('POST', '/apps/' + enc + '/rollback', { version: r.version }, out);
          if (res.status !== 'succeeded') throw new Error('Rollback failed: ' + res.error);
        }, () => refreshSummary(app.name).then(() => releasesTab(body, app, out)));
      });
    }
    return h('tr', { 'data-release': r.version },
      h('td', {}, 'v' + r.version), h('td', {}, stateBadge(r.state)), h('td', { class: 'num' }, r.percent + ' %'),
      h('td', { class: 'num' }, r.instances), h('td', {}, r.description), h('td', {}, r.created_by),
      h('td', {}, new Date(r.created_at).toLocaleString()), h('td', {}, rollback));
  });
  body.replaceChildren(h('section', {},
    h('h3', {}, 'Releases'),
    releases.length === 0 ? h('p', { class: 'muted' }, 'No releases yet.') :
      h('table', { id: 'releases' },
        h('thead', {}, h('tr', {}, ['Version', 'State', 'Traffic', 'Instances', 'Description', 'By', 'Created', '']
          .map(t => h('th', {}, t)))),
        h('tbody', {}, rows)),
    out));
}

// ---------- builds ----------

async function buildsTab(body, app) {
  const enc = encodeURIComponent(app.name);
  const builds = await api('GET', '/apps/' + enc + '/builds');
  const output = h('pre', { class: 'output', id: 'build-output', hidden: true });
  const rows = builds.map(b => {
    const show = h('button', { id: 'build-' + b.number }, 'Output');
    show.addEventListener('click', () => act(show, async () => {
      const full = await api('GET', '/apps/' + enc + '/builds/' + b.number);
      output.textContent = full.output || '(no output)';
      output.hidden = false;
    }));
    return h('tr', { 'data-build': b.number },
      h('td', {}, '#' + b.number), h('td', {}, stateBadge(b.status)),
      h('td', {}, b.release ? 'v' + b.release : '—'), h('td', {}, b.description), h('td', {}, b.created_by),
      h('td', {}, new Date(b.started_at).toLocaleString()), h('td', {}, show));
  });
  body.replaceChildren(h('section', {},
    h('h3', {}, 'Builds'),
    builds.length === 0 ? h('p', { class: 'muted' }, 'No builds yet.') :
      h('table', { id: 'builds' },
        h('thead', {}, h('tr', {}, ['Build', 'Status', 'Release', 'Description', 'By', 'Started', '']
          .map(t => h('th', {}, t)))),
        h('tbody', {}, rows)),
    output));
}

// ---------- scheduled jobs (#13) ----------

function cronResult(r) {
  if (!r) return 'never';
  const what = r.exit_code != null ? ' (exit ' + r.exit_code + ')' : r.http_status != null ? ' (HTTP ' + r.http_status + ')' : '';
  return r.status + what + (r.message && r.status !== 'succeeded' ? ': ' + r.message : '');
}

async function cronTab(body, app) {
  const enc = encodeURIComponent(app.name);
  const [jobs, runs] = await Promise.all([
    api('GET', '/apps/' + enc + '/cron'), api('GET', '/apps/' + enc + '/cron/runs?limit=20')]);
  const jobRows = jobs.map(j => h('tr', { 'data-job': j.id },
    h('td', {}, '#' + j.id), h('td', {}, j.schedule + (j.timezone !== 'UTC' ? ' (' + j.timezone + ')' : '')),
    h('td', {}, j.kind === 'url' ? 'GET ' + j.url + (j.target ? ' @' + j.target : '') : j.command),
    h('td', {}, j.next_run_at ? new Date(j.next_run_at).toLocaleString() : '—'),
    h('td', {}, j.running ? 'running' : cronResult(j.last_run))));
  const runRows = runs.map(r => h('tr', { 'data-run': r.id },
    h('td', {}, '#' + r.id), h('td', {}, '#' + r.job_id), h('td', {}, new Date(r.started_at).toLocaleString()),
    h('td', {}, r.trigger), h('td', {}, r.duration_ms != null ? (r.duration_ms / 1000).toFixed(1) + ' s' : '—'),
    h('td', {}, stateBadge(r.status)), h('td', {}, cronResult(r)), h('td', {}, r.logs)));
  body.replaceChildren(
    h('section', {}, h('h3', {}, 'Scheduled jobs'),
      jobs.length === 0 ? h('p', { class: 'muted' }, 'No scheduled jobs: add one with pier cron:add or a cron.yaml.') :
        h('table', { id: 'cron-jobs' },
          h('thead', {}, h('tr', {}, ['Job', 'Schedule', 'Runs', 'Next run', 'Last run'].map(t => h('th', {}, t)))),
          h('tbody', {}, jobRows))),
    h('section', {}, h('h3', {}, 'Last runs'),
      runs.length === 0 ? h('p', { class: 'muted' }, 'No runs yet.') :
        h('table', { id: 'cron-runs' },
          h('thead', {}, h('tr', {}, ['Run', 'Job', 'Started', 'Trigger', 'Duration', 'Status', 'Result', 'Logs']
            .map(t => h('th', {}, t)))),
          h('tbody', {}, runRows))));
}

// ---------- domains and HTTPS certificates (#12) ----------

const CERT_SOURCES = { 'uploaded': 'uploaded (pier certs:add)', 'pier-ca': 'Pier CA (automatic)', 'acme': 'ACME' };

async function domainsTab(body, app) {
  const enc = encodeURIComponent(app.name);
  const [domains, certs, features] = await Promise.all([
    api('GET', '/apps/' + enc + '/domains'), api('GET', '/apps/' + enc + '/certs').catch(() => []),
    api('GET', '/apps/' + enc + '/features').then(f => f.features).catch(() => [])]);
  const domainRows = domains.map(d => h('tr', { 'data-domain': d.hostname },
    h('td', {}, d.hostname), h('td', {}, d.kind === 'builtin' ? 'built-in' : 'custom'),
    h('td', {}, d.created_at ? new Date(d.created_at).toLocaleString() : '—')));
  const certRows = certs.map(c => h('tr', { 'data-cert': c.id == null ? 'pier-ca' : String(c.id),
      class: c.state === 'expired' ? 'expired' : '' },
    h('td', {}, c.id == null ? '—' : '#' + c.id), h('td', {}, (c.names || []).join(', ')), h('td', {}, c.issuer),
    h('td', {}, c.expires ? c.expires.slice(0, 10) : '—'),
    h('td', {}, stateBadge(c.state === 'expired' ? 'expired' : c.state === 'expiring' ? 'expiring' : 'valid')),
    h('td', {}, CERT_SOURCES[c.source] || c.source || '')));
  body.replaceChildren(
    h('section', {}, h('h3', {}, 'Domains'),
      h('table', { id: 'app-domain-list' },
        h('thead', {}, h('tr', {}, ['Domain', 'Kind', 'Added'].map(t => h('th', {}, t)))),
        h('tbody', {}, domainRows))),
    h('section', {}, h('h3', {}, 'HTTPS certificates'),
      certs.length === 0 ? h('p', { class: 'muted' }, 'No HTTPS listener: the router serves plain HTTP only.') :
        h('table', { id: 'app-certs' },
          h('thead', {}, h('tr', {}, ['ID', 'Names', 'Issuer', 'Expires', 'State', 'Source'].map(t => h('th', {}, t)))),
          h('tbody', {}, certRows)),
      h('p', { class: 'muted' }, 'An expired certificate is not presented: the router uses Pier CA\'s certificate for its names.')),
    h('section', {}, h('h3', {}, 'Features'),
      h('p', { id: 'app-features' }, features.map(f => f.name + ': ' + (f.enabled ? 'on' : 'off')).join(' · '),
        ' ', h('span', { class: 'muted' }, '(pier features:enable NAME -a ' + app.name + ')'))));
}

// ---------- start ----------

async function boot() {
  try {
    const res = await fetch('/console/session', { credentials: 'same-origin' });
    if (res.status === 401) { location.href = '/console/login'; return; }
    if (!res.ok) throw await problem(res);
    const s = await res.json();
    session.csrf = s.csrf_token;
    session.user = s.user;
    document.getElementById('user').textContent = s.user;
    document.getElementById('logout-csrf').value = s.csrf_token;
  } catch (e) {
    showError('Cannot load the console session: ' + e.message);
    return;
  }
  window.addEventListener('hashchange', route);
  await route();
}

boot();
