// Drives the JavaScript client (connection.js + ot-client.js) against a real
// PolicyPad server. Run by tests/crosslang/test_js_client_live.py:
//
//   node --experimental-websocket tests/js/live_client.mjs ws://127.0.0.1:PORT PAD
//
// Prints one JSON line: the texts each client ends with, the statuses seen, and the
// markers typed offline (each must appear exactly once on the server).

import { makeSplice } from '../../client/js/changeset.js';
import { PadConnection } from '../../client/js/connection.js';
import { sleep, until } from './live_wait.mjs';

const [url, padId] = process.argv.slice(2);

function randomEdit(connection, random, marker) {
  const text = connection.text;
  const position = Math.floor(random() * text.length);
  connection.localChange(makeSplice(text, Math.min(position, text.length - 1), 0, marker));
}

function seeded(seed) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const clients = [0, 1, 2].map((n) => new PadConnection({ url, padId, name: `js${n}`, initialBackoffMs: 50 }));
const statuses = clients.map(() => []);
clients.forEach((client, n) => client.on('status', (s) => statuses[n].push(s)));
await Promise.all(clients.map((client) => client.start()));

// 1. concurrent typing with random delays
await Promise.all(clients.map(async (client, n) => {
  const random = seeded(n + 1);
  for (let i = 0; i < 30; i++) {
    randomEdit(client, random, `${'abc'[n]}`);
    await sleep(random() * 15);
  }
}));
const settled = () => clients.every((c) => c.ot.synchronized) && new Set(clients.map((c) => c.ot.rev)).size === 1;
await until(settled);
const afterTyping = clients.map((c) => c.text);

// 2. one client goes offline, keeps typing, comes back
const [offline, online] = clients;
offline.dropConnection();
await until(() => offline.status === 'offline');
const markers = [];
for (let i = 0; i < 10; i++) {
  const marker = `<${i}>`;
  markers.push(marker);
  offline.localChange(makeSplice(offline.text, 0, 0, marker));
}
const unsavedWhileOffline = offline.unsaved;
offline.sendChat('said while offline');
for (let i = 0; i < 5; i++) {
  online.localChange(makeSplice(online.text, online.text.length - 1, 0, '!'));
  await sleep(5);
}
await until(() => offline.status !== 'offline', 20_000);
await until(settled, 20_000);

console.log(JSON.stringify({
  afterTyping,
  texts: clients.map((c) => c.text),
  rev: clients[0].ot.rev,
  markers,
  unsavedWhileOffline,
  statuses: statuses.map((list) => list.map((s) => s.status)),
}));
clients.forEach((client) => client.stop());
