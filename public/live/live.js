// The /live page: plain browser JavaScript, no build step, same origin only (the gateway's CSP).
const $ = (id) => document.getElementById(id);
const MAX_TAIL_ROWS = 200;
const TERMINAL = new Set(['PASSED', 'FAILED', 'completed', 'failed', 'timeout', 'cancelled']);

let socket;
let tail;
/** Status events already shown for the current submission, and whether it has ended. */
let seen = new Set();
let finished = false;

async function loadLanguages() {
  try {
    const res = await fetch('/supported-languages');
    if (!res.ok) return;
    const { languages } = await res.json();
    const select = $('language');
    select.replaceChildren(...languages.map((l) => new Option(`${l.name} (${l.value})`, l.value)));
  } catch {
    // Keep the built-in option.
  }
}

function showError(message) {
  $('submit-error').textContent = message;
  $('submit-error').hidden = !message;
}

function setStatus(event) {
  const badge = $('current-status');
  badge.textContent = event.status;
  badge.dataset.status = event.status;
  const item = document.createElement('li');
  const label = document.createElement('span');
  label.className = 'status';
  label.dataset.status = event.status;
  label.textContent = event.status;
  const time = document.createElement('time');
  time.textContent = event.updated_at ?? '';
  item.append(label, time);
  if (event.detail) item.append(` ${event.detail}`);
  $('timeline').append(item);
  if (TERMINAL.has(event.status)) {
    $('result').hidden = false;
    $('output').textContent = event.output ?? '';
    $('error-output').textContent = event.error_output ?? '';
    const parts = [];
    if (event.execution_time !== undefined) parts.push(`${event.execution_time} s`);
    if (event.memory_usage !== undefined) parts.push(`${event.memory_usage} KB`);
    $('metrics').textContent = parts.join(' · ');
  }
}

function watch(requestId) {
  socket?.close();
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocket(`${scheme}//${location.host}/ws?request_id=${encodeURIComponent(requestId)}`);
  socket = ws;
  const state = (text) => ws === socket && ($('ws-state').textContent = text);
  ws.onopen = () => state('live');
  ws.onerror = () => state('connection error');
  ws.onclose = () => {
    if (ws !== socket) return;
    // Dropped before the end (gateway restart, slow-client cut): reconnect; the server sends the
    // current status first, and the timeline skips what it already shows.
    if (!finished) {
      state('reconnecting');
      setTimeout(() => ws === socket && watch(requestId), 1000);
    } else state('closed');
  };
  ws.onmessage = (message) => {
    let event;
    try {
      event = JSON.parse(message.data);
    } catch {
      return;
    }
    // Heartbeats and other control messages carry no status.
    if (ws !== socket || event.request_id !== requestId || typeof event.status !== 'string') return;
    const seenKey = `${event.status}|${event.updated_at}`;
    if (seen.has(seenKey)) return;
    seen.add(seenKey);
    if (TERMINAL.has(event.status)) finished = true;
    setStatus(event);
  };
}

async function submit(e) {
  e.preventDefault();
  showError('');
  const button = $('submit-button');
  button.disabled = true;
  try {
    const res = await fetch('/submit-code', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: $('code').value, language: $('language').value }),
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) return showError(`${res.status} ${body.error ?? ''}: ${body.message ?? body.detail ?? 'submission refused'}`);
    $('submission').hidden = false;
    $('result').hidden = true;
    $('request-id').textContent = body.request_id;
    $('current-status').textContent = '—';
    $('current-status').dataset.status = '';
    $('timeline').replaceChildren();
    seen = new Set();
    finished = false;
    watch(body.request_id);
  } catch (err) {
    showError(`submission failed: ${err.message}`);
  } finally {
    button.disabled = false;
  }
}

function addTailRow(record) {
  const row = document.createElement('tr');
  const value = typeof record.value === 'string' ? record.value : JSON.stringify(record.value);
  for (const text of [record.partition, record.offset, record.key ?? '', value]) {
    const cell = document.createElement('td');
    cell.textContent = String(text);
    cell.title = String(text);
    row.append(cell);
  }
  const rows = $('tail-rows');
  rows.prepend(row);
  while (rows.children.length > MAX_TAIL_ROWS) rows.lastElementChild.remove();
}

function toggleTail(e) {
  e.preventDefault();
  if (tail) {
    tail.close();
    tail = undefined;
    $('tail-button').textContent = 'Start';
    $('tail-state').textContent = 'stopped';
    return;
  }
  const topic = $('topic').value.trim();
  const source = new EventSource(`/topics/${encodeURIComponent(topic)}/events?from=${encodeURIComponent($('from').value)}`);
  tail = source;
  $('tail-button').textContent = 'Stop';
  $('tail-state').textContent = 'connecting';
  const onRecord = (message) => {
    try {
      addTailRow(JSON.parse(message.data));
    } catch {
      // Not a record (a comment or heartbeat).
    }
  };
  source.onopen = () => ($('tail-state').textContent = `tailing ${topic}`);
  source.onmessage = onRecord;
  source.addEventListener('record', onRecord);
  source.onerror = () => ($('tail-state').textContent = source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
}

$('submit-form').addEventListener('submit', submit);
$('tail-form').addEventListener('submit', toggleTail);
loadLanguages();
