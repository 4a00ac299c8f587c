// The OT client: one commit in flight, later local changes composed into a buffer,
// remote revisions transformed against both. No I/O: the outside world is reached
// through two hooks, `send` (a commit message for the server) and `apply` (a remote
// change for the local document). Three states, as in ot.js's client; each
// transition returns the next state:
//
//   Synchronized --local--> AwaitingAck --local--> AwaitingAckWithBuffer
//        ^                      |  ^                      |
//        '---------ack----------'  '---------ack----------'  (the buffer is sent)
//
// and a fourth for changes that must not leave yet (`hold`: an image the user pasted is
// still uploading, and the change holds its local address): local changes compose into
// a buffer that is not sent, remote revisions go through it as through any buffer, and
// `release` sends it once no hold is left:
//
//   Synchronized --local, held--> Holding --release--> AwaitingAck
//   AwaitingAckWithBuffer --ack, held--> Holding
//
// Tie-break: the server rebases a commit with follow(committed, mine, false), so a
// remote revision goes first where both insert at one place; the client agrees by
// transforming with follow(mine, remote, true).
//
// A commit the server refuses for good (`refuse`: it is not valid, and sending it again
// cannot change that) is taken back out of the local document, the changes made after it
// kept and sent: one bad change must not keep everything typed after it from being saved.

import {
  AttributePool,
  applyToAText,
  characterRangeFollow,
  compose,
  follow,
  inverse,
  isIdentity,
  makeAText,
  moveToPool,
  unpack,
} from './changeset.js';
import { splitChangeset } from './changeset/split.js';

/** The server's default limit on a message (POLICYPAD_MAX_MESSAGE_BYTES), for a server
 * whose `joined` does not say. */
const DEFAULT_MAX_MESSAGE_BYTES = 1_048_576;

/** No commit in flight. */
export class Synchronized {
  get name() { return 'synchronized'; }

  localChange(client, changeset) {
    if (client.held) return new Holding(changeset);
    return client.commit(changeset);
  }

  remoteChange(client, changeset) {
    client.applyRemote(changeset);
    return this;
  }

  ack() {
    throw new Error('ack received in state synchronized: no commit is in flight');
  }

  release() { return this; }

  /** Changes not yet acknowledged, composed (none here). */
  pending() { return null; }
}

/** One commit in flight, nothing else pending. */
export class AwaitingAck {
  constructor(outstanding) { this.outstanding = outstanding; }

  get name() { return 'awaiting-ack'; }

  localChange(client, changeset) {
    return new AwaitingAckWithBuffer(this.outstanding, changeset);
  }

  remoteChange(client, changeset) {
    const pool = client.pool;
    const outstanding = follow(changeset, this.outstanding, false, pool);
    client.applyRemote(follow(this.outstanding, changeset, true, pool));
    return new AwaitingAck(outstanding);
  }

  ack() { return new Synchronized(); }

  release() { return this; }

  pending() { return this.outstanding; }
}

/** One commit in flight and local changes waiting for it. */
export class AwaitingAckWithBuffer {
  constructor(outstanding, buffer) {
    this.outstanding = outstanding;
    this.buffer = buffer;
  }

  get name() { return 'awaiting-ack-with-buffer'; }

  localChange(client, changeset) {
    return new AwaitingAckWithBuffer(this.outstanding, compose(this.buffer, changeset, client.pool));
  }

  remoteChange(client, changeset) {
    const pool = client.pool;
    const outstanding = follow(changeset, this.outstanding, false, pool);
    const remote1 = follow(this.outstanding, changeset, true, pool);
    const buffer = follow(remote1, this.buffer, false, pool);
    client.applyRemote(follow(this.buffer, remote1, true, pool));
    return new AwaitingAckWithBuffer(outstanding, buffer);
  }

  ack(client) {
    if (client.held) return new Holding(this.buffer);
    return client.commit(this.buffer);
  }

  release() { return this; } // the ack sends the buffer

  pending() { return this.outstanding; }
}

/** Local changes kept back (see `OTClient.hold`), nothing in flight. */
export class Holding {
  constructor(buffer) { this.buffer = buffer; }

  get name() { return 'holding'; }

  localChange(client, changeset) {
    return new Holding(compose(this.buffer, changeset, client.pool));
  }

  remoteChange(client, changeset) {
    const pool = client.pool;
    const buffer = follow(changeset, this.buffer, false, pool);
    client.applyRemote(follow(this.buffer, changeset, true, pool));
    return new Holding(buffer);
  }

  ack() {
    throw new Error('ack received in state holding: no commit is in flight');
  }

  release(client) {
    return client.commit(this.buffer);
  }

  pending() { return null; }
}

/**
 * The client side of one pad: its revision, its pool and its OT state.
 *
 * `send(message)` receives commit messages ready for the WebSocket; `apply(changeset)`
 * receives remote changes (already in this client's pool) for the editor. Feed it
 * `localChange`, `remoteRevision`, `ack`; after a reconnect call `resend`.
 */
export class OTClient {
  /**
   * @param {{rev: number, atext: {text: string, attribs: string}, pool: object,
   *   send: (message: object) => void, apply: (changeset: string) => void,
   *   maxMessageBytes?: number}} options `maxMessageBytes`: the server's limit on a
   *   message (its `joined` says); a larger commit goes as several
   */
  constructor({ rev, atext, pool, send, apply, maxMessageBytes }) {
    this.maxMessageBytes = Number.isSafeInteger(maxMessageBytes) && maxMessageBytes > 0
      ? maxMessageBytes
      : DEFAULT_MAX_MESSAGE_BYTES;
    this.rev = rev;
    this.pool = AttributePool.fromJsonable(pool);
    this.atext = makeAText(atext.text, atext.attribs);
    /** The document as the server has it at `rev` (what `atext` is without the pending changes). */
    this.acked = this.atext;
    this.state = new Synchronized();
    this.seq = 0;
    this.inflightSeq = null;
    this._send = send;
    this._apply = apply;
    this._holds = 0;
  }

  /**
   * Keep local changes from being sent (from the next one on) until `release` is called
   * as many times as `hold`: they wait, composed, and remote revisions are transformed
   * against them as usual.
   */
  hold() {
    this._holds += 1;
  }

  /** End one `hold`; once none is left, what waited is sent. */
  release() {
    if (this._holds === 0) throw new Error('release without a hold');
    this._holds -= 1;
    if (this._holds === 0) this._transition(this.state.release(this));
  }

  /** Whether local changes are being kept back. */
  get held() { return this._holds > 0; }

  /** A change the user made to the local document (in this client's pool). */
  localChange(changeset) {
    this.atext = applyToAText(changeset, this.atext, this.pool);
    this._transition(this.state.localChange(this, changeset));
  }

  /** A `revision` message from the server. */
  remoteRevision(message) {
    if (message.rev !== this.rev + 1) {
      throw new Error(`revision ${message.rev} arrived while at ${this.rev}: messages out of order`);
    }
    const fragment = AttributePool.fromJsonable(message.pool);
    const changeset = moveToPool(message.changeset, fragment, this.pool);
    // all or nothing: a revision that cannot be applied leaves the client as it was
    const acked = this.synchronized ? null : applyToAText(changeset, this.acked, this.pool);
    const next = this.state.remoteChange(this, changeset);
    this.rev = message.rev;
    this.acked = acked ?? this.atext;
    this._transition(next);
  }

  /** An `ack` message from the server; unknown seqs (duplicates) are ignored. */
  ack(message) {
    if (message.seq !== this.inflightSeq) return;
    this.rev = message.rev;
    this.inflightSeq = null;
    const stored = this.state.pending();
    this.acked = this.state instanceof AwaitingAck ? this.atext : applyToAText(stored, this.acked, this.pool);
    this._transition(this.state.ack(this));
  }

  /**
   * The server refused the commit in flight (`seq`) for good. Its change is taken back out
   * of the local document: `apply` gets the change that does it (for the editor), made on
   * the document as it is, so what was typed after the refused commit stays, and is sent
   * as the next commit. Returns that change, or null if `seq` is not in flight.
   */
  refuse(seq) {
    if (seq === null || seq !== this.inflightSeq) return null;
    const pool = this.pool;
    const refused = this.state.pending();
    const after = this.state instanceof AwaitingAckWithBuffer ? this.state.buffer : null;
    const takeBack = inverse(refused, this.acked, pool);
    const undo = after === null ? takeBack : follow(after, takeBack, false, pool);
    // what the later changes come to on the server's document, without the refused one
    const kept = after === null ? null : compose(compose(refused, after, pool), undo, pool);
    this.atext = applyToAText(undo, this.atext, pool);
    this.inflightSeq = null;
    this.state = new Synchronized();
    this._apply(undo);
    if (kept !== null && !isIdentity(kept)) this._transition(this.state.localChange(this, kept));
    return undo;
  }

  /**
   * Take the pad's head from a fresh `joined` message in place of the local document
   * (its pool too). Only with nothing unacknowledged: nothing local is on top of it. The
   * seq goes on, so the server never mistakes a later commit for a resent one.
   * @param {{rev: number, atext: {text: string, attribs: string}, pool: object}} head
   */
  reload({ rev, atext, pool }) {
    if (!this.synchronized) {
      throw new Error(`reload in state ${this.state.name}: local changes are not acknowledged yet`);
    }
    this.rev = rev;
    this.pool = AttributePool.fromJsonable(pool);
    this.atext = makeAText(atext.text, atext.attribs);
    this.acked = this.atext;
  }

  /** After a reconnect and its catch-up: send the in-flight commit again, same seq. */
  resend() {
    const outstanding = this.state.pending();
    if (outstanding !== null && this.inflightSeq !== null) {
      this._send(this._commit(outstanding, this.inflightSeq));
    }
  }

  /** Whether every local change is acknowledged. */
  get synchronized() { return this.state instanceof Synchronized; }

  /** Move a local selection through a remote change (for carets under remote edits). */
  static transformSelection(changeset, selection, insertionsAfter = false) {
    const [start, end] = characterRangeFollow(changeset, selection.start, selection.end, insertionsAfter);
    return { start, end };
  }

  // hooks used by the states

  /**
   * Send `changeset` as the next commit, or, too large for one message, its first part
   * (the rest waits as the buffer, and goes, split again if need be, after the ack);
   * return the state that follows.
   */
  commit(changeset) {
    const [first, rest] = this._fitting(changeset);
    this.sendCommit(first);
    return rest === null ? new AwaitingAck(first) : new AwaitingAckWithBuffer(first, rest);
  }

  /** [the part of `changeset` one message can carry, the rest or null]. */
  _fitting(changeset) {
    const limit = this.maxMessageBytes * 0.9; // room for what JSON adds around it
    // a unit of text is at most 6 bytes of JSON ("\u001f"): most commits fit for sure
    if (changeset.length * 6 < limit / 2) return [changeset, null];
    const size = (part) => new TextEncoder().encode(JSON.stringify(this._commit(part, this.seq + 1))).length;
    if (size(changeset) <= limit) return [changeset, null];
    const parsed = unpack(changeset);
    let units = parsed.charBank.length;
    let ops = parsed.ops.length;
    for (;;) {
      units = Math.max(1, Math.floor(units / 2));
      ops = Math.max(1, Math.floor(ops / 2));
      const [first, rest] = splitChangeset(changeset, units, ops);
      if (size(first) <= limit || (units === 1 && ops === 1)) return [first, rest];
    }
  }

  sendCommit(changeset) {
    this.seq += 1;
    this.inflightSeq = this.seq;
    this._send(this._commit(changeset, this.seq));
  }

  applyRemote(changeset) {
    this.atext = applyToAText(changeset, this.atext, this.pool);
    this._apply(changeset); // must not throw: the revision is in the document now
  }

  _commit(changeset, seq) {
    return { type: 'commit', baseRev: this.rev, changeset, pool: this.pool.toJsonable(), seq };
  }

  _transition(next) { this.state = next; }
}
