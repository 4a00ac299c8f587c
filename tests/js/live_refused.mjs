// Drives the JavaScript client against a real PolicyPad server with a commit the server
// refuses for good (an attribute its schema does not allow), and typing after it. Run by
// tests/crosslang/test_js_client_live.py:
//
//   node --experimental-websocket tests/js/live_refused.mjs ws://127.0.0.1:PORT PAD
//
// Prints one JSON line: the errors the client heard, its status and text at the end.

import { makeSplice } from '../../client/js/changeset.js';
import { PadConnection } from '../../client/js/connection.js';

const [url, padId] = process.argv.slice(2);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(10);
  }
}

const client = new PadConnection({ url, padId, name: 'refused', initialBackoffMs: 50 });
const errors = [];
const takenBack = [];
client.on('error', (error) => errors.push(error.code));
client.on('change', (changeset) => takenBack.push(changeset));
await client.start();
const pool = client.ot.pool;
// refused: the server's schema has no `onclick`; in flight while the rest is typed
client.localChange(makeSplice(client.text, 0, 0, 'EVIL', [['onclick', 'steal()']], pool));
client.localChange(makeSplice(client.text, client.text.length - 1, 0, ' kept'));
client.localChange(makeSplice(client.text, client.text.length - 1, 0, ' too'));
await until(() => errors.length > 0 && client.status === 'saved' && client.ot.synchronized);
console.log(JSON.stringify({ errors, status: client.status, text: client.text, takenBack: takenBack.length }));
client.stop();
