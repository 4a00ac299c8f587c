// Session.rev: the revision a host saves at. It follows joins, others' revisions and the
// acks of the user's own edits, over a stand-in socket that plays the server's part.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { TextareaAdapter } from '../../adapters/textarea.js';
import { Session } from '../../client/js/session.js';
import { JSDOM } from './jsdom_window.mjs';

class StandInSocket {
  static last = null;

  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    StandInSocket.last = this;
    queueMicrotask(() => {
      this.readyState = 1;
      this.onopen();
    });
  }

  send(data) { this.sent.push(JSON.parse(data)); }

  close() {}

  receive(message) { this.onmessage({ data: JSON.stringify(message) }); }
}

test('rev follows the join, remote revisions and the acks of own edits', async () => {
  const { window } = new JSDOM('<textarea id="policy"></textarea>');
  const textarea = window.document.getElementById('policy');
  const session = new Session(new TextareaAdapter(textarea), {
    server: 'http://127.0.0.1:9', pad: 'p', WebSocket: StandInSocket,
  });
  assert.equal(session.rev, null);
  const started = session.start();
  await new Promise((resolve) => setTimeout(resolve, 0));
  const socket = StandInSocket.last;
  assert.equal(socket.sent[0].type, 'join');
  socket.receive({
    type: 'joined', rev: 3, atext: { text: 'ab\n', attribs: '|1+3' }, pool: { numToAttrib: {}, nextNum: 0 },
    users: [], chat: [], you: { clientId: 'x', author: 'a.1' },
  });
  await started;
  assert.equal(session.rev, 3);
  assert.equal(textarea.value, 'ab');

  socket.receive({ type: 'revision', rev: 4, changeset: 'Z:3>1=2*0+1$c', pool: { numToAttrib: { 0: ['author', 'a.2'] }, nextNum: 1 }, author: 'a.2' });
  assert.equal(session.rev, 4);
  assert.equal(textarea.value, 'abc');

  textarea.value = 'abcd';
  textarea.dispatchEvent(new window.Event('input'));
  assert.equal(session.status, 'saving');
  assert.equal(session.rev, 4); // the edit is not in a revision yet
  const commit = socket.sent.find((message) => message.type === 'commit');
  socket.receive({ type: 'ack', seq: commit.seq, rev: 5 });
  assert.equal(session.status, 'saved');
  assert.equal(session.rev, 5);
  session.detach();
});
