// The OT client state machine (client/js/ot-client.js) against a simulated server:
// random local edits (with attributes, so pools diverge) and random interleavings of
// message delivery must always converge, text and attributes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';

import {
  AttributePool,
  applyToAText,
  follow,
  makeAText,
  makeAttributeChange,
  makeSplice,
  moveAttribsToPool,
  moveToPool,
} from '../../client/js/changeset.js';
import { attribNumbers } from '../../client/js/changeset/ops.js';
import { unpack } from '../../client/js/changeset/core.js';
import {
  AwaitingAck, AwaitingAckWithBuffer, Holding, OTClient, Synchronized,
} from '../../client/js/ot-client.js';

/** An attribute the simulated server refuses, as a schema refuses one it does not allow. */
const REFUSED_KEY = 'onclick';

/** The server's commit rule, as policypad.pad does it (without author stamping). */
class SimulatedServer {
  constructor(text) {
    this.pool = new AttributePool();
    this.atext = makeAText(text);
    this.revisions = [];
    this.outboxes = new Map();
    this.seen = new Map();
  }

  get rev() { return this.revisions.length; }

  connect(id) {
    this.outboxes.set(id, []);
    return { rev: this.rev, atext: this.atext.toJsonable(), pool: this.pool.toJsonable() };
  }

  receive(id, message) {
    const key = `${id}/${message.seq}`;
    if (this.seen.has(key)) {
      this.outboxes.get(id).push({ type: 'ack', seq: message.seq, rev: this.seen.get(key) });
      return;
    }
    const pool = AttributePool.fromJsonable(message.pool);
    if (attribNumbers(unpack(message.changeset).ops.map((op) => op.attribs).join(''))
      .some((num) => pool.getAttrib(num)?.[0] === REFUSED_KEY)) {
      // as the server refuses an attribute its schema does not allow
      this.outboxes.get(id).push({ type: 'error', code: 'bad_attribute', seq: message.seq });
      return;
    }
    let changeset = moveToPool(message.changeset, pool, this.pool);
    for (const committed of this.revisions.slice(message.baseRev)) {
      changeset = follow(committed, changeset, false, this.pool);
    }
    this.atext = applyToAText(changeset, this.atext, this.pool);
    this.revisions.push(changeset);
    this.seen.set(key, this.rev);
    for (const [other, outbox] of this.outboxes) {
      if (other === id) outbox.push({ type: 'ack', seq: message.seq, rev: this.rev });
      else outbox.push({ type: 'revision', rev: this.rev, changeset, pool: this.pool.toJsonable() });
    }
  }
}

function makeWorld(clientCount) {
  const server = new SimulatedServer('hello world\n');
  const clients = [];
  for (let id = 0; id < clientCount; id++) {
    const joined = server.connect(id);
    const uplink = [];
    const applied = [];
    const client = new OTClient({ ...joined, send: (m) => uplink.push(m), apply: (c) => applied.push(c) });
    clients.push({ id, client, uplink, applied });
  }
  return { server, clients };
}

/** Hand the client its next message from the server, as the connection does. */
function deliverDown(server, c) {
  const message = server.outboxes.get(c.id).shift();
  if (message.type === 'ack') c.client.ack(message);
  else if (message.type === 'error') c.client.refuse(message.seq);
  else c.client.remoteRevision(message);
}

/** Move a position off the middle of a surrogate pair (edits never split one). */
function boundary(text, position) {
  const code = text.charCodeAt(position - 1);
  return position > 0 && code >= 0xd800 && code <= 0xdbff ? position - 1 : position;
}

function localEdit(client, roll, position, insert) {
  const text = client.atext.text;
  const at = boundary(text, Math.min(position, text.length - 1));
  if (roll < 0.5) {
    client.localChange(makeSplice(text, at, 0, insert, roll < 0.2 ? [['bold', 'true']] : [], client.pool));
  } else if (roll < 0.8) {
    const end = boundary(text, Math.min(at + 2, text.length - 1));
    client.localChange(makeSplice(text, at, end - at, ''));
  } else {
    const end = boundary(text, Math.min(at + 3, text.length - 1));
    client.localChange(makeAttributeChange(text, at, end, [['italic', roll < 0.9 ? 'true' : '']], client.pool));
  }
}

function resolved(atext, pool, serverPool) {
  return { text: atext.text, attribs: moveAttribsToPool(atext.attribs, pool, serverPool) };
}

test('states change as documented', () => {
  const { clients, server } = makeWorld(1);
  const { client, uplink } = clients[0];
  assert.ok(client.state instanceof Synchronized);
  client.localChange(makeSplice(client.atext.text, 0, 0, 'a'));
  assert.ok(client.state instanceof AwaitingAck);
  client.localChange(makeSplice(client.atext.text, 0, 0, 'b'));
  assert.ok(client.state instanceof AwaitingAckWithBuffer);
  assert.equal(uplink.length, 1);
  server.receive(0, uplink.shift());
  client.ack(server.outboxes.get(0).shift());
  assert.ok(client.state instanceof AwaitingAck);
  assert.equal(uplink.length, 1, 'the buffer is sent on ack');
  assert.equal(uplink[0].baseRev, 1);
  server.receive(0, uplink.shift());
  client.ack(server.outboxes.get(0).shift());
  assert.ok(client.synchronized);
  assert.equal(server.atext.text, 'bahello world\n');
  assert.throws(() => new Synchronized().ack(), /state synchronized/);
});

test('held changes wait, go through remote revisions, and leave composed on release', () => {
  const { clients, server } = makeWorld(2);
  const [{ client, uplink }, other] = clients;
  client.hold();
  client.localChange(makeSplice(client.atext.text, 0, 0, 'a'));
  assert.ok(client.state instanceof Holding);
  client.localChange(makeSplice(client.atext.text, 1, 0, 'b'));
  assert.equal(uplink.length, 0, 'nothing leaves while held');
  // another client's revision arrives meanwhile: the held changes go over it
  other.client.localChange(makeSplice(other.client.atext.text, 5, 0, '!'));
  server.receive(1, other.uplink.shift());
  client.remoteRevision(server.outboxes.get(0).shift());
  assert.equal(client.atext.text, 'abhello! world\n');
  client.hold(); // a second hold: the first release sends nothing yet
  client.release();
  assert.equal(uplink.length, 0);
  client.release();
  assert.ok(client.state instanceof AwaitingAck);
  assert.equal(uplink.length, 1, 'one commit: the held changes composed');
  server.receive(0, uplink.shift());
  client.ack(server.outboxes.get(0).shift());
  assert.ok(client.synchronized);
  assert.equal(server.atext.text, 'abhello! world\n');
  assert.throws(() => client.release(), /release without a hold/);
});

test('a change held while one is in flight waits after its ack', () => {
  const { clients, server } = makeWorld(1);
  const { client, uplink } = clients[0];
  client.localChange(makeSplice(client.atext.text, 0, 0, 'a'));
  client.hold();
  client.localChange(makeSplice(client.atext.text, 1, 0, 'b'));
  assert.ok(client.state instanceof AwaitingAckWithBuffer);
  server.receive(0, uplink.shift());
  client.ack(server.outboxes.get(0).shift());
  assert.ok(client.state instanceof Holding, 'the buffer waits for the release');
  assert.equal(uplink.length, 0);
  assert.equal(client.synchronized, false);
  client.release();
  server.receive(0, uplink.shift());
  client.ack(server.outboxes.get(0).shift());
  assert.ok(client.synchronized);
  assert.equal(server.atext.text, 'abhello world\n');
  // a hold with nothing held releases to nothing
  client.hold();
  client.release();
  assert.ok(client.synchronized);
  assert.equal(uplink.length, 0);
});

test('a duplicate ack is ignored and a resend carries the same seq', () => {
  const { clients, server } = makeWorld(1);
  const { client, uplink } = clients[0];
  client.localChange(makeSplice(client.atext.text, 0, 0, 'x'));
  const sent = uplink.shift();
  client.resend();
  assert.deepEqual(uplink.shift(), sent);
  server.receive(0, sent);
  server.receive(0, sent);
  const [ack, again] = server.outboxes.get(0);
  assert.deepEqual(ack, again);
  client.ack(ack);
  client.ack(again);
  assert.ok(client.synchronized);
  assert.equal(server.atext.text, 'xhello world\n');
});

test('a reload takes the head in place of the document, and the seq goes on', () => {
  const { clients, server } = makeWorld(1);
  const { client, uplink } = clients[0];
  client.localChange(makeSplice(client.atext.text, 0, 0, 'x'));
  assert.throws(() => client.reload(server.connect(0)), /awaiting-ack/);
  server.receive(0, uplink.shift());
  client.ack(server.outboxes.get(0).shift());
  // the server moved on meanwhile (another client's commit, never seen here)
  server.atext = makeAText('a new head\n');
  server.revisions.push('Z:0>0$');
  client.reload(server.connect(0));
  assert.equal(client.atext.text, 'a new head\n');
  assert.equal(client.rev, server.rev);
  client.localChange(makeSplice(client.atext.text, 0, 0, 'y'));
  assert.equal(uplink.shift().seq, 2, 'a new seq: never taken for a resend of the first');
});

test('random edits under random delivery orders converge', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 2, max: 4 }),
      fc.array(
        fc.record({
          actor: fc.nat(3),
          kind: fc.constantFrom('edit', 'edit', 'up', 'down'),
          roll: fc.double({ min: 0, max: 1, noNaN: true }),
          position: fc.nat(30),
          insert: fc.constantFrom('a', 'bc', '\n', 'é', '😀'),
        }),
        { maxLength: 60 },
      ),
      (clientCount, steps) => {
        const { server, clients } = makeWorld(clientCount);
        play(server, clients, steps);
      },
    ),
    { numRuns: 300 },
  );
});

test('with commits refused for good, the rest still converges and nothing refused is kept', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 2, max: 3 }),
      fc.array(
        fc.record({
          actor: fc.nat(2),
          kind: fc.constantFrom('edit', 'edit', 'refused', 'up', 'down'),
          roll: fc.double({ min: 0, max: 1, noNaN: true }),
          position: fc.nat(30),
          insert: fc.constantFrom('a', 'bc', '\n', 'é'),
        }),
        { maxLength: 60 },
      ),
      (clientCount, steps) => {
        const { server, clients } = makeWorld(clientCount);
        play(server, clients, steps);
        const attributes = Object.values(server.pool.toJsonable().numToAttrib);
        assert.ok(!attributes.some(([key]) => key === REFUSED_KEY), 'nothing refused was stored');
      },
    ),
    { numRuns: 300 },
  );
});

test('a refused commit is taken back and what was typed after it is sent', () => {
  const { clients, server } = makeWorld(2);
  const [{ client, uplink, applied }, other] = clients;
  client.localChange(makeSplice(client.atext.text, 0, 0, 'X', [[REFUSED_KEY, 'x()']], client.pool));
  client.localChange(makeSplice(client.atext.text, 12, 0, 'Y')); // after "Xhello world"
  assert.ok(client.state instanceof AwaitingAckWithBuffer);
  // another user's revision arrives before the refusal
  other.client.localChange(makeSplice(other.client.atext.text, 5, 0, '!'));
  server.receive(1, other.uplink.shift());
  other.client.ack(server.outboxes.get(1).shift());
  server.receive(0, uplink.shift());
  deliverDown(server, clients[0]); // the revision
  assert.equal(client.atext.text, 'Xhello! worldY\n');
  deliverDown(server, clients[0]); // the refusal
  assert.equal(client.atext.text, 'hello! worldY\n', 'the refused X is taken back, Y kept');
  assert.equal(applyToAText(applied.at(-1), makeAText('Xhello! worldY\n'), client.pool).text,
    'hello! worldY\n', 'the editor is told');
  assert.ok(client.state instanceof AwaitingAck, 'Y is sent');
  assert.equal(uplink.length, 1);
  server.receive(0, uplink.shift());
  deliverDown(server, clients[0]);
  deliverDown(server, clients[1]);
  assert.ok(client.synchronized);
  assert.equal(server.atext.text, 'hello! worldY\n');
  assert.equal(other.client.atext.text, server.atext.text);
  // refused with nothing after it: taken back, nothing sent; a stale seq changes nothing
  client.localChange(makeSplice(client.atext.text, 0, 0, 'Z', [[REFUSED_KEY, 'z()']], client.pool));
  server.receive(0, uplink.shift());
  assert.equal(client.refuse(99), null);
  deliverDown(server, clients[0]);
  assert.ok(client.synchronized);
  assert.equal(uplink.length, 0);
  assert.equal(client.atext.text, 'hello! worldY\n');
});

test('a paste too large for one message goes as several commits, each within the limit', () => {
  const server = new SimulatedServer('hello world\n');
  const uplink = [];
  const client = new OTClient({ ...server.connect(0), send: (m) => uplink.push(m), apply: () => {}, maxMessageBytes: 4000 });
  const line = 'A line of a long document, pasted whole: "quoted", tab\t, é and 😀.\n';
  const paste = line.repeat(300); // about 20 KB of JSON
  client.localChange(makeSplice(client.atext.text, 5, 0, paste, [['bold', 'true']], client.pool));
  client.localChange(makeSplice(client.atext.text, 0, 0, '>'));
  let commits = 0;
  while (uplink.length) {
    const message = uplink.shift();
    assert.ok(new TextEncoder().encode(JSON.stringify(message)).length <= 4000);
    commits += 1;
    server.receive(0, message);
    client.ack(server.outboxes.get(0).shift());
  }
  assert.ok(commits > 5, `${commits} commits`);
  assert.ok(client.synchronized);
  assert.equal(server.atext.text, `>hello${paste} world\n`);
  assert.deepEqual(server.atext.toJsonable(), resolved(client.atext, client.pool, server.pool));
  // a server that says nothing (or nonsense) of its limit: the default
  assert.equal(new OTClient({ ...server.connect(1), send() {}, apply() {}, maxMessageBytes: 'x' }).maxMessageBytes, 1_048_576);
});

/** Run `steps` (edits and deliveries in some order), then drain the network, and check
 * that every client ends synchronized with the server's document. */
function play(server, clients, steps) {
  const clientCount = clients.length;
  const deliverUp = (c) => server.receive(c.id, c.uplink.shift());
  for (const step of steps) {
    const c = clients[step.actor % clientCount];
    if (step.kind === 'edit') localEdit(c.client, step.roll, step.position, step.insert);
    else if (step.kind === 'refused') {
      const text = c.client.atext.text;
      const at = boundary(text, Math.min(step.position, text.length - 1));
      c.client.localChange(makeSplice(text, at, 0, step.insert, [[REFUSED_KEY, 'go()']], c.client.pool));
    } else if (step.kind === 'up' && c.uplink.length) deliverUp(c);
    else if (step.kind === 'down' && server.outboxes.get(c.id).length) deliverDown(server, c);
  }
  // drain the network
  let busy = true;
  while (busy) {
    busy = false;
    for (const c of clients) {
      while (c.uplink.length) { deliverUp(c); busy = true; }
      while (server.outboxes.get(c.id).length) { deliverDown(server, c); busy = true; }
    }
  }
  const expected = server.atext.toJsonable();
  for (const c of clients) {
    assert.ok(c.client.synchronized);
    assert.equal(c.client.rev, server.rev);
    assert.deepEqual(resolved(c.client.atext, c.client.pool, server.pool), expected);
  }
}

test('a selection follows a remote change', () => {
  const moved = OTClient.transformSelection('Z:c>3+3$abc', { start: 5, end: 5 });
  assert.deepEqual(moved, { start: 8, end: 8 });
});
