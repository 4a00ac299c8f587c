// Drives the JavaScript client against a real PolicyPad server with commits it cannot
// take as they are: one it refuses for good (an attribute its schema does not allow),
// with typing after it, then a paste larger than a message may be. Run by
// tests/crosslang/test_js_client_live.py:
//
//   node --experimental-websocket tests/js/live_refused.mjs ws://127.0.0.1:PORT PAD
//
// Prints one JSON line: the errors the client heard, its status and text at the end.

import { makeSplice } from '../../client/js/changeset.js';
import { PadConnection } from '../../client/js/connection.js';
import { until } from './live_wait.mjs';

const [url, padId] = process.argv.slice(2);

const client = new PadConnection({ url, padId, name: 'refused', initialBackoffMs: 50 });
const errors = [];
const takenBack = [];
client.on('error', (error) => errors.push(error.code));
client.on('change', (changeset) => takenBack.push(changeset));
await client.start();
const pool = client.ot.pool;
const saved = () => client.status === 'saved' && client.ot.synchronized;
// refused: the server's schema has no `onclick`; in flight while the rest is typed
client.localChange(makeSplice(client.text, 0, 0, 'EVIL', [['onclick', 'steal()']], pool));
client.localChange(makeSplice(client.text, client.text.length - 1, 0, ' kept'));
client.localChange(makeSplice(client.text, client.text.length - 1, 0, ' too'));
await until(() => errors.length > 0 && saved(), 20_000);
const afterRefusal = client.text;
// a paste larger than the server takes in one message
const paste = `\n${'A paragraph of a long document, pasted whole: "quoted" and é.\n'.repeat(4000)}`;
let commits = 0;
client.ot._send = ((send) => (message) => { commits += 1; send(message); })(client.ot._send);
client.localChange(makeSplice(client.text, client.text.length - 1, 0, paste, [['bold', 'true']], pool));
await until(saved, 20_000);
console.log(JSON.stringify({
  errors, status: client.status, afterRefusal, text: client.text, takenBack: takenBack.length, commits,
}));
client.stop();
