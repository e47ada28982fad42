// The live page: one client of the local gateway through wsfanout's JavaScript client library
// (clients/js: reconnects, resumes what it missed, drops copies, delivers in order), plus a form
// that starts broadcasts through the page server (/api/broadcasts) and shows their audit until the
// execution ends.
import { WsfanoutClient } from './wsfanout-client.js';

const $ = (id) => document.getElementById(id);
const AUDIT_POLL_MS = 500;
// The library's states, as the status pill shows them.
const PILL = { idle: 'connecting', connecting: 'connecting', open: 'connected', reconnecting: 'closed', closed: 'closed' };
const STATUS = { idle: 'connecting to ', connecting: 'connecting to ', open: 'connected to ',
  reconnecting: 'disconnected; reconnecting to ', closed: 'closed: ' };
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
  const client = new WsfanoutClient(url);
  client.onStateChange((state) => showStatus(PILL[state], STATUS[state] + url));
  client.onBroadcast((delivery) => received(delivery, Date.now()));
  client.onGap(({ from, to }) => showStatus('closed', 'broadcasts ' + from + '..' + to + ' are older than the history: reload'));
  client.connect();
}

// Each broadcast once, in order: {broadcastId, seq, data}. The data is the message exactly as sent.
function received({ broadcastId, seq, data }, at) {
  const isObject = data !== null && typeof data === 'object';
  const item = document.createElement('li');
  item.dataset.broadcastId = broadcastId;
  item.dataset.seq = String(seq);
  item.append(
    cell('time', new Date(at).toLocaleTimeString()),
    cell('text', isObject && 'text' in data ? String(data.text) : JSON.stringify(data)),
    cell('id', '#' + seq + ' ' + broadcastId),
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
