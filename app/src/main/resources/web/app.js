// The live page: one WebSocket client of the local gateway, plus a form that starts broadcasts
// through the page server (/api/broadcasts) and shows their audit until the execution ends.
'use strict';

const $ = (id) => document.getElementById(id);
const seenBroadcasts = new Set();
const AUDIT_POLL_MS = 500;
const RECONNECT_MS = 2000;
// The page server's per-run token, from /api/config: the broadcast API wants it in X-Wsfanout-Token.
let apiToken = null;

async function main() {
  $('broadcast-form').addEventListener('submit', startBroadcast);
  const response = await fetch('/api/config');
  const config = await response.json();
  if (!response.ok) {
    throw new Error(config.message || config.error);
  }
  apiToken = config.token;
  connect(config.webSocketUrl);
}

function apiHeaders(extra) {
  return { ...extra, 'X-Wsfanout-Token': apiToken };
}

// The API's own errors are {"error": ..}; its refusals (Host, Origin, token) {"message": ..}.
function apiError(body) {
  return new Error(body.error || body.message);
}

function showStatus(state, text) {
  const pill = $('status');
  pill.dataset.state = state;
  pill.textContent = text;
}

function connect(url) {
  showStatus('connecting', 'connecting to ' + url);
  const ws = new WebSocket(url);
  ws.onopen = () => showStatus('connected', 'connected to ' + url);
  ws.onmessage = (event) => received(event.data, Date.now());
  ws.onclose = () => {
    showStatus('closed', 'disconnected; retrying');
    setTimeout(() => connect(url), RECONNECT_MS);
  };
}

// Every delivery is {"broadcastId": .., "data": <message>}. A broadcast can very rarely arrive twice
// (a Lambda retried after posting); the broadcast id is what lets a client drop the copy.
function received(text, at) {
  let envelope;
  try {
    envelope = JSON.parse(text);
  } catch (notJson) {
    envelope = { broadcastId: '(not an envelope)', data: text };
  }
  if (seenBroadcasts.has(envelope.broadcastId)) {
    return;
  }
  seenBroadcasts.add(envelope.broadcastId);
  const data = envelope.data;
  const isObject = data !== null && typeof data === 'object';
  const item = document.createElement('li');
  item.dataset.broadcastId = envelope.broadcastId;
  item.append(
    cell('time', new Date(at).toLocaleTimeString()),
    cell('text', isObject && 'text' in data ? String(data.text) : JSON.stringify(data)),
    cell('id', envelope.broadcastId),
    cell('latency', isObject && typeof data.sentAt === 'number' ? (at - data.sentAt) + ' ms' : ''),
  );
  $('received').prepend(item);
}

function cell(className, text) {
  const span = document.createElement('span');
  span.className = className;
  span.textContent = text;
  return span;
}

async function startBroadcast(event) {
  event.preventDefault();
  const button = $('send');
  button.disabled = true;
  $('error').hidden = true;
  try {
    const message = { text: $('message').value, sentAt: Date.now() };
    const response = await fetch('/api/broadcasts', {
      method: 'POST',
      headers: apiHeaders({ 'Content-Type': 'application/json' }),
      body: JSON.stringify({ message }),
    });
    const body = await response.json();
    if (!response.ok) {
      throw apiError(body);
    }
    await followAudit(body.name);
  } catch (e) {
    $('error').textContent = e.message;
    $('error').hidden = false;
  } finally {
    button.disabled = false;
  }
}

async function followAudit(name) {
  $('audit-name').textContent = name;
  for (;;) {
    const response = await fetch('/api/broadcasts/' + encodeURIComponent(name), { headers: apiHeaders({}) });
    const audit = await response.json();
    if (!response.ok) {
      throw apiError(audit);
    }
    renderAudit(audit);
    if (audit.status !== 'RUNNING') {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, AUDIT_POLL_MS));
  }
}

function seconds(ms) {
  return ms === null || ms === undefined ? 'n/a' : (ms / 1000).toFixed(2) + ' s';
}

// Rows of [field, label, value]; the field names the value cell (data-field) for styling and tests.
function renderAudit(a) {
  const rows = [
    ['status', 'status', a.status],
    ['broadcastId', 'broadcast', a.broadcastId],
    ['started', 'started', a.startDate + ' by ' + a.startedBy],
    ['messageBytes', 'message', a.messageBytes + ' bytes'],
    ['partitions', 'partitions', a.partitions],
    ['connections', 'connections', a.connections],
    ['delivered', 'delivered', a.delivered],
    ['outcomes', 'gone / failed / retried', a.gone + ' / ' + a.failed + ' / ' + a.retried],
    ['duration', 'duration', seconds(a.durationMillis)],
    ['deliveryTimes', 'first / last delivery', seconds(a.firstDeliveryMillis) + ' / ' + seconds(a.lastDeliveryMillis)],
  ];
  if (a.mapRun) {
    rows.push(['mapRun', 'map run items', a.mapRun.itemsSucceeded + ' / ' + a.mapRun.itemsTotal + ' succeeded']);
  }
  if (a.error) {
    rows.push(['error', 'error', a.error + ': ' + a.cause]);
  }
  const table = $('audit');
  const body = table.tBodies[0];
  body.replaceChildren(...rows.map(([field, label, value]) => {
    const row = body.insertRow();
    row.insertCell().textContent = label;
    const cellValue = row.insertCell();
    cellValue.textContent = String(value);
    cellValue.dataset.field = field;
    return row;
  }));
  table.dataset.status = a.status;
  table.hidden = false;
  $('audit-empty').hidden = true;
}

main().catch((e) => showStatus('closed', 'cannot start: ' + e.message));
