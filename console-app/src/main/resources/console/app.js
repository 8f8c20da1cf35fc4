'use strict';
// The console's one page: each section is filled from the console's JSON API and refreshed in place.
const REFRESH_MS = 2000;
const KINDS = ['submitted', 'succeeded', 'failed', 'retried', 'dead_lettered'];
const COLOURS = {submitted: '#4da3ff', succeeded: '#2e7d32', failed: '#b3261e', retried: '#f0a030', dead_lettered: '#6a1b9a'};
let csrf = null;
let pending = null; // the action a Confirm click executes

const $ = id => document.getElementById(id);

function el(tag, text, attrs) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
  return node;
}

function row(cells, attrs) {
  const tr = el('tr', null, attrs);
  cells.forEach(c => tr.appendChild(c instanceof Node ? wrap(c) : el('td', c)));
  return tr;
}

function wrap(node) {
  const td = el('td');
  td.appendChild(node);
  return td;
}

async function api(path, options) {
  const opts = Object.assign({credentials: 'same-origin', headers: {}}, options || {});
  if (opts.method === 'POST') {
    opts.headers['Content-Type'] = 'application/json';
    opts.headers['X-CSRF-Token'] = csrf;
  }
  const res = await fetch(path, opts);
  const type = res.headers.get('Content-Type') || '';
  const body = type.includes('json') ? await res.json() : await res.text();
  if (res.status === 401) {
    showLogin();
  }
  return {status: res.status, body};
}

function showLogin() {
  $('nav').hidden = true;
  document.querySelectorAll('.page').forEach(p => p.hidden = true);
  $('login').hidden = false;
}

async function start() {
  const session = await api('/api/session');
  if (session.status !== 200) {
    showLogin();
    return;
  }
  signedIn(session.body);
}

function signedIn(session) {
  csrf = session.csrf;
  $('who').textContent = 'signed in as ' + session.caller;
  $('login').hidden = true;
  $('nav').hidden = false;
  show();
}

$('login-form').addEventListener('submit', async e => {
  e.preventDefault();
  const res = await api('/api/login', {method: 'POST', body: JSON.stringify({key: $('login-key').value})});
  $('login-key').value = '';
  if (res.status === 200) {
    $('login-error').textContent = '';
    signedIn(res.body);
  } else {
    $('login-error').textContent = res.body.detail || 'sign-in failed';
  }
});

function current() {
  return (location.hash || '#overview').substring(1);
}

function show() {
  if (csrf === null) return;
  const page = current();
  document.querySelectorAll('.page').forEach(p => p.hidden = p.id !== page);
  document.querySelectorAll('nav a').forEach(a => a.classList.toggle('active', a.getAttribute('href') === '#' + page));
  refresh();
}

window.addEventListener('hashchange', show);

const refreshers = {
  overview: refreshOverview,
  topics: refreshGroups,
  consumers: refreshGroups,
  task: refreshTask,
  'dead-letters': refreshDeadLetters,
  audit: refreshAudit,
};

async function refresh() {
  const page = current();
  if (refreshers[page]) {
    await refreshers[page]();
    $('refreshed').textContent = 'updated ' + new Date().toLocaleTimeString();
  }
}

// the dead-letter list reads the whole topic: it refreshes every fifth tick, the other pages every tick
let ticks = 0;
setInterval(() => {
  ticks++;
  if (csrf === null || document.hidden) return;
  if (current() === 'dead-letters' && ticks % 5 !== 0) return;
  refresh();
}, REFRESH_MS);

function duration(seconds) {
  if (seconds === undefined || seconds === null) return '-';
  return seconds < 1 ? Math.round(seconds * 1000) + ' ms' : seconds.toFixed(1) + ' s';
}

async function refreshOverview() {
  const [activity, groups] = await Promise.all([api('/api/activity'), api('/api/groups')]);
  if (activity.status === 200) {
    const a = activity.body;
    $('window').textContent = 'since ' + new Date(a.from).toLocaleTimeString();
    KINDS.forEach(k => $('total-' + k).textContent = a.totals[k] || 0);
    $('latency-p50').textContent = a.results ? duration(a.latencyP50Millis / 1000) : '-';
    $('latency-p99').textContent = a.results ? duration(a.latencyP99Millis / 1000) : '-';
    const byType = {};
    a.minutes.forEach(m => {
      const t = byType[m.type] = byType[m.type] || {};
      KINDS.forEach(k => t[k] = (t[k] || 0) + m[k]);
    });
    const body = $('by-type');
    body.replaceChildren(...Object.keys(byType).sort().map(type => row([type, ...KINDS.map(k => byType[type][k])], {'data-type': type})));
    drawChart(a);
  }
  if (groups.status === 200) {
    $('group-lag').replaceChildren(...groups.body.groups.map(g => {
      const lag = g.topics.reduce((sum, t) => sum + t.lag, 0);
      const latency = Math.max(0, ...g.topics.map(t => t.queueLatencySeconds || 0));
      return row([g.group, g.members.length, lag, duration(latency)], {'data-group': g.group});
    }));
  }
}

function drawChart(a) {
  const width = 720, height = 200, pad = 30;
  const from = Date.parse(a.from), to = Date.parse(a.to);
  const perMinute = {};
  a.minutes.forEach(m => {
    const t = Date.parse(m.minute);
    const p = perMinute[t] = perMinute[t] || {};
    KINDS.forEach(k => p[k] = (p[k] || 0) + m[k]);
  });
  const minutes = Object.keys(perMinute).map(Number).sort((x, y) => x - y);
  const max = Math.max(1, ...minutes.flatMap(t => KINDS.map(k => perMinute[t][k] / 60)));
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('width', width);
  svg.setAttribute('height', height);
  const x = t => pad + (t - from) / Math.max(1, to - from) * (width - 2 * pad);
  const y = v => height - pad - v / max * (height - 2 * pad);
  const axis = document.createElementNS(ns, 'text');
  axis.setAttribute('x', 2);
  axis.setAttribute('y', 12);
  axis.textContent = max.toFixed(1) + ' tasks/s';
  svg.appendChild(axis);
  KINDS.forEach(k => {
    if (!minutes.length) return;
    const line = document.createElementNS(ns, 'polyline');
    line.setAttribute('fill', 'none');
    line.setAttribute('stroke', COLOURS[k]);
    line.setAttribute('stroke-width', 2);
    line.setAttribute('points', minutes.map(t => x(t) + ',' + y(perMinute[t][k] / 60)).join(' '));
    line.setAttribute('data-kind', k);
    svg.appendChild(line);
    // a marker per minute: a line of one point would not show
    minutes.forEach(t => {
      const dot = document.createElementNS(ns, 'circle');
      dot.setAttribute('cx', x(t));
      dot.setAttribute('cy', y(perMinute[t][k] / 60));
      dot.setAttribute('r', 3);
      dot.setAttribute('fill', COLOURS[k]);
      svg.appendChild(dot);
    });
  });
  const legend = el('div', null, {class: 'legend'});
  KINDS.forEach(k => {
    const s = el('span', '\u25A0 ' + k.replace('_', '-') + '/s');
    s.style.color = COLOURS[k];
    legend.appendChild(s);
  });
  $('chart').replaceChildren(svg, legend);
}

async function refreshGroups() {
  const res = await api('/api/groups');
  if (res.status !== 200) return;
  const groups = res.body.groups;
  const tables = [];
  groups.forEach(g => {
    tables.push(el('h3', g.group));
    const table = el('table');
    table.appendChild(el('thead')).appendChild(row(['topic', 'partition', 'end offset', 'committed', 'lag', 'queue latency', 'next due',
      'paused', 'last commit', 'member'].map(h => el('th', h))));
    const body = table.appendChild(el('tbody', null, {'data-group': g.group}));
    g.topics.forEach(t => t.partitions.forEach(p => body.appendChild(row([t.topic, p.partition, p.endOffset,
      p.committedOffset === undefined ? '-' : p.committedOffset, p.lag, duration(p.queueLatencySeconds),
      p.nextDue ? new Date(p.nextDue).toLocaleTimeString() : '-', p.paused === undefined ? '-' : (p.paused ? 'paused' : 'no'),
      p.lastCommit ? new Date(p.lastCommit).toLocaleTimeString() + ' by ' + p.committedBy : '-', p.memberId || '-'],
      {'data-topic': t.topic, 'data-partition': p.partition}))));
    tables.push(table);
  });
  $('topic-tables').replaceChildren(...tables);
  const members = [];
  groups.forEach(g => {
    members.push(el('h3', g.group + ' (' + g.members.length + ' member' + (g.members.length === 1 ? '' : 's') + ')'));
    const table = el('table');
    table.appendChild(el('thead')).appendChild(row(['member', 'client', 'host', 'in flight', 'running', 'last commit', 'assigned partitions']
      .map(h => el('th', h))));
    const body = table.appendChild(el('tbody', null, {'data-group': g.group}));
    g.members.forEach(m => body.appendChild(row([m.memberId, m.clientId, m.host, m.inFlight === undefined ? '-' : m.inFlight,
      m.running === undefined ? '-' : m.running, m.lastCommit ? new Date(m.lastCommit).toLocaleTimeString() : '-',
      m.assignment.join(', ')])));
    members.push(table);
  });
  $('consumer-groups').replaceChildren(...members);
}

$('task-form').addEventListener('submit', e => {
  e.preventDefault();
  refreshTask();
});

async function refreshTask() {
  const id = $('task-id').value.trim();
  if (!id) return;
  const [status, events] = await Promise.all([api('/api/tasks/' + encodeURIComponent(id)),
    api('/api/tasks/' + encodeURIComponent(id) + '/events')]);
  if (status.status !== 200) {
    $('task-error').textContent = status.body.detail || ('status ' + status.status);
    $('task-status').replaceChildren();
    $('task-timeline').replaceChildren();
    return;
  }
  $('task-error').textContent = '';
  const s = status.body;
  const fields = [];
  ['id', 'state', 'type', 'key', 'attempts', 'queuedAt', 'finishedAt', 'lastError', 'reason', 'submitter', 'deadLetter', 'result'].forEach(f => {
    if (s[f] !== undefined && s[f] !== null) {
      fields.push(el('dt', f), el('dd', typeof s[f] === 'object' ? JSON.stringify(s[f]) : s[f], {'data-field': f}));
    }
  });
  $('task-status').replaceChildren(...fields);
  const timeline = events.status === 200 ? (events.body.events || events.body.timeline || []) : [];
  $('task-timeline').replaceChildren(...timeline.map(ev => row([ev.at, ev.kind, ev.attempt,
    ev.detail || ev.error || ev.reason || ev.channel || ''])));
}

let letters = [];
const selected = new Set();

$('dl-filter').addEventListener('submit', e => {
  e.preventDefault();
  selected.clear();
  refreshDeadLetters();
});

function filterParams() {
  const form = new FormData($('dl-filter'));
  const params = {};
  for (const [k, v] of form.entries()) if (v) params[k] = v;
  return params;
}

async function refreshDeadLetters() {
  const res = await api('/api/dead-letters?' + new URLSearchParams(filterParams()));
  if (res.status !== 200) {
    $('dl-result').textContent = res.body.detail || 'could not list dead letters';
    return;
  }
  letters = res.body.letters;
  $('dl-count').textContent = res.body.count + ' matching' + (res.body.listed < res.body.count ? ', ' + res.body.listed + ' listed' : '');
  $('dl-rows').replaceChildren(...letters.map(l => {
    const box = el('input', null, {type: 'checkbox', 'data-ref': l.ref});
    box.checked = selected.has(l.ref);
    box.addEventListener('change', () => box.checked ? selected.add(l.ref) : selected.delete(l.ref));
    const link = el('a', l.ref, {href: '#dead-letters', 'data-inspect': l.ref});
    link.addEventListener('click', ev => { ev.preventDefault(); inspect(l.ref); });
    return row([box, link, l.failedAt, l.reason, l.type, l.taskId, l.error], {'data-ref': l.ref});
  }));
}

$('dl-all').addEventListener('change', e => {
  letters.forEach(l => e.target.checked ? selected.add(l.ref) : selected.delete(l.ref));
  refreshDeadLetters();
});

async function inspect(ref) {
  const res = await api('/api/dead-letters/' + encodeURIComponent(ref));
  $('dl-inspect').hidden = false;
  $('dl-inspect').textContent = JSON.stringify(res.body, null, 2);
}

$('dl-replay-preview').addEventListener('click', async () => {
  if (!selected.size) {
    $('dl-result').textContent = 'select the letters to replay first';
    return;
  }
  const request = {refs: [...selected], maxAttempts: Number($('dl-max-attempts').value || 0)};
  const res = await api('/api/dead-letters/replay', {method: 'POST', body: JSON.stringify(request)});
  if (res.status !== 200) {
    $('dl-result').textContent = res.body.detail;
    return;
  }
  preview('Replay ' + res.body.refs.length + ' task(s)' + (res.body.skipped ? ' (' + res.body.skipped + ' letter(s) hold no task and are skipped)' : '')
    + ': ' + res.body.refs.map(r => r.ref + ' ' + r.type).join(', '), async () => {
    const done = await api('/api/dead-letters/replay', {method: 'POST', body: JSON.stringify(Object.assign(request, {execute: true}))});
    $('dl-result').textContent = done.status === 200 ? 'replayed ' + done.body.replayed + ' task(s)' : done.body.detail;
    selected.clear();
  });
});

$('dl-purge-preview').addEventListener('click', async () => {
  const request = {before: $('dl-purge-before').value.trim()};
  const res = await api('/api/dead-letters/purge', {method: 'POST', body: JSON.stringify(request)});
  if (res.status !== 200) {
    $('dl-result').textContent = res.body.detail;
    return;
  }
  preview('Purge ' + res.body.letters + ' letter(s) that failed before ' + request.before
    + ' (Kafka deletes each partition\u2019s oldest records only)', async () => {
    const done = await api('/api/dead-letters/purge', {method: 'POST', body: JSON.stringify(Object.assign(request, {execute: true}))});
    $('dl-result').textContent = done.status === 200 ? 'purged ' + done.body.letters + ' letter(s)' : done.body.detail;
  });
});

function preview(text, action) {
  $('dl-preview-text').textContent = text;
  $('dl-preview').hidden = false;
  pending = action;
}

$('dl-confirm').addEventListener('click', async () => {
  $('dl-preview').hidden = true;
  const action = pending;
  pending = null;
  if (action) await action();
  refreshDeadLetters();
});

$('dl-cancel').addEventListener('click', () => {
  $('dl-preview').hidden = true;
  pending = null;
});

async function refreshAudit() {
  const res = await api('/api/audit');
  if (res.status !== 200) return;
  $('audit-rows').replaceChildren(...res.body.map(a => row([a.at, a.who, a.action, JSON.stringify(a.selection), a.count])));
}

start();
