// What the client asks for when it joins: the token (a string, or a function called before
// every connection), `create` and `seed` (the first join only, the seed read from the
// editor), and what it does when the server refuses the first join. A scripted socket
// stands in for the server; tests/crosslang/test_js_client_live.py runs a real one.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { ContentEditableAdapter } from '../../adapters/contenteditable.js';
import { TextareaAdapter } from '../../adapters/textarea.js';
import { PadConnection, PolicyPadError } from '../../client/js/connection.js';
import { Session } from '../../client/js/session.js';
import { JSDOM } from './jsdom_window.mjs';
import { scriptedSockets } from './scripted_socket.mjs';

const tick = () => new Promise((resolve) => { setTimeout(resolve, 0); });

async function until(condition) {
  for (let i = 0; i < 200 && !condition(); i++) await tick();
  assert.ok(condition(), 'timed out');
}

test('a token function is asked before every connection; create and seed go with the first join only', async () => {
  const { Socket, sockets } = scriptedSockets();
  const tokens = [];
  let seeds = 0;
  const connection = new PadConnection({
    url: 'ws://pads.test', padId: 'policy-42', WebSocket: Socket, initialBackoffMs: 1,
    // a promise, as a fetch to the host's back end gives
    token: () => { tokens.push(`t${tokens.length + 1}`); return Promise.resolve(tokens.at(-1)); },
    create: true,
    seed: () => { seeds += 1; return '<p>What the editor held</p>'; },
  });
  const joined = connection.start();
  await until(() => sockets[0]?.sent.length === 1);
  assert.deepEqual(sockets[0].sent[0], {
    type: 'join', clientId: connection.clientId, batch: true, token: 't1', create: true,
    seed: '<p>What the editor held</p>',
  });
  sockets[0].joined(3, 'pad\n');
  await joined;
  // the token expires: the server ends the session, the client comes back with a new token
  sockets[0].receive({ type: 'error', code: 'token_expired', message: 'the token has expired' });
  sockets[0].close();
  await until(() => sockets[1]?.sent.length === 1);
  assert.deepEqual(sockets[1].sent[0], { type: 'join', clientId: connection.clientId, batch: true, token: 't2', rev: 3 });
  assert.equal(seeds, 1);
  connection.stop();
});

test('a plain token goes as it is; a failing token function is reported and tried again', async () => {
  const { Socket, sockets } = scriptedSockets();
  const plain = new PadConnection({ url: 'ws://pads.test', padId: 'p', WebSocket: Socket, token: 'abc' });
  plain.start();
  await until(() => sockets[0]?.sent.length === 1);
  assert.equal(sockets[0].sent[0].token, 'abc');
  assert.equal('create' in sockets[0].sent[0] || 'seed' in sockets[0].sent[0], false);
  plain.stop();

  let calls = 0;
  const failing = new PadConnection({
    url: 'ws://pads.test', padId: 'p', WebSocket: Socket, initialBackoffMs: 1,
    token: async () => {
      calls += 1;
      if (calls === 1) throw new Error('the host is down');
      return 'second';
    },
  });
  const errors = [];
  failing.on('error', (error) => errors.push(error));
  failing.start();
  await until(() => sockets[1]?.sent.length === 1);
  assert.deepEqual(errors, [{ code: 'token_failed', message: 'the host is down' }]);
  assert.equal(sockets[1].sent[0].token, 'second');
  failing.stop();
});

test('a refused first join rejects start() with its code and a hint, and ends the connection', async () => {
  for (const create of [false, true]) {
    const { Socket, sockets } = scriptedSockets();
    const connection = new PadConnection({ url: 'ws://pads.test', padId: 'gone', WebSocket: Socket, create, initialBackoffMs: 1 });
    const joined = connection.start();
    await until(() => sockets[0]?.sent.length === 1);
    sockets[0].receive({ type: 'error', code: 'pad_not_found', message: "no pad 'gone'" });
    const error = await joined.catch((failure) => failure);
    assert.ok(error instanceof PolicyPadError);
    assert.equal(error.code, 'pad_not_found');
    assert.match(error.message, create ? /"create": true/ : /POST \/api\/pads.*create: true/);
    // no second try: nothing will change by asking again
    await tick();
    await tick();
    assert.equal(sockets.length, 1);
    assert.equal(sockets[0].readyState, 3);
  }
});

test("seed: 'editor' sends what the editor holds, as HTML", async () => {
  const { window } = new JSDOM('<textarea>First <line> & more\n\nlast</textarea>'
    + '<div contenteditable="true"><h2>Policy</h2><p>Existing <b>text</b></p></div>'
    + '<div contenteditable="true"><p>A chart <img src="data:image/webp;base64,UklGRg==" alt="c">'
    + '<img src="https://example.org/a.png"><img src="javascript:alert(1)" alt="x">'
    + '<img src="data:image/svg+xml;base64,PHN2Zy8+" alt="y"></p></div>');
  const cases = [
    [new TextareaAdapter(window.document.querySelector('textarea')),
      '<p>First &lt;line&gt; &amp; more</p><p><br></p><p>last</p>'],
    [new ContentEditableAdapter(window.document.querySelector('[contenteditable]')),
      '<h2>Policy</h2><p>Existing <strong>text</strong></p>'],
    // a picture goes as it is, for the server to store (and to check) as the pad is made
    [new ContentEditableAdapter(window.document.querySelectorAll('[contenteditable]')[1]),
      '<p>A chart <img src="data:image/webp;base64,UklGRg==" alt="c"><img src="https://example.org/a.png">xy</p>'],
  ];
  for (const [adapter, html] of cases) {
    const { Socket, sockets } = scriptedSockets();
    const session = new Session(adapter, {
      server: 'http://pads.test', pad: 'new', WebSocket: Socket, create: true, seed: 'editor',
    });
    session.start().catch(() => {});
    await until(() => sockets[0]?.sent.length === 1);
    assert.equal(sockets[0].sent[0].create, true);
    assert.equal(sockets[0].sent[0].seed, html);
    session.detach();
  }
});

test('an editor that cannot be read creates no pad', async () => {
  const { Socket, sockets } = scriptedSockets();
  const connection = new PadConnection({
    url: 'ws://pads.test', padId: 'new', WebSocket: Socket, create: true,
    seed: () => { throw new Error('unreadable'); },
  });
  const error = await connection.start().catch((failure) => failure);
  assert.equal(error.code, 'seed_failed');
  assert.deepEqual(sockets[0].sent, []);
});
