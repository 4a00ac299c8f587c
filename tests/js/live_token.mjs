// A session outliving its token, against a real server with a secret. Run by
// tests/crosslang/test_js_client_live.py:
//
//   node --experimental-websocket tests/js/live_token.mjs http://127.0.0.1:PORT PAD '["token1", "token2"]'
//
// The page's token function hands out the tokens in turn (the last one again after that):
// the first expires while the session is open, the server ends it (`token_expired`), and
// the client comes back with the next. Prints one JSON line: what the textarea holds, how
// many tokens were asked for, the error codes and statuses seen.

import { JSDOM } from 'jsdom';

import { attach } from '../../client/js/policypad.js';
import { until } from './live_wait.mjs';

const [server, pad, tokensJson] = process.argv.slice(2);
const tokens = JSON.parse(tokensJson);

const { window } = new JSDOM('<textarea>Seeded from the page.</textarea>');
const textarea = window.document.querySelector('textarea');
function type(text) {
  textarea.value += text;
  textarea.dispatchEvent(new window.Event('input'));
}

let asked = 0;
// as a page would fetch it from its back end: asynchronously
const token = async () => tokens[Math.min(asked++, tokens.length - 1)];
const session = await attach(textarea, { server, pad, token, create: true, seed: 'editor', initialBackoffMs: 50 });
const errors = [];
const statuses = [];
session.on('error', ({ code }) => errors.push(code));
session.on('status', ({ status }) => statuses.push(status));
type(' Before.');
await until(() => session.status === 'saved' && session.connection.ot.synchronized);
// the first token runs out: the server ends the session, the client joins with the next
await until(() => errors.includes('token_expired'));
type(' After.');
await until(() => asked >= 2 && session.status === 'saved' && session.connection.ot.synchronized);
session.detach();
console.log(JSON.stringify({ text: textarea.value, asked, errors, statuses }));
