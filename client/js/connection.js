// The transport: one WebSocket to /ws/{padId}, the join handshake, reconnect with
// capped exponential backoff and jitter, catch-up from the last known revision, and
// the resend of the in-flight commit with its original seq. Local changes are taken
// while offline too: they wait in the OT client's buffer, so no typing is lost.
//
// status: 'connecting' -> 'saved' | 'saving' -> 'offline' (with `unsaved` changes) -> ...
// While offline, every further local change emits the status again with the new count.
// 'saved' means the server has acknowledged every local change.
//
// `reload()` joins again without a revision, for the pad's head as the server has it
// (a session resyncing after a change it could not apply).
//
// The token may be a function (returning a token or a promise of one): it is called before
// every connection, so a host can hand out short-lived tokens and a session outlives them
// (the server ends a session whose token expires, `token_expired`; the reconnect brings a
// fresh one). The first join may ask to create a missing pad (`create`, from `seed`, the
// HTML to start it with); a join the server refuses before the first `joined` (no such pad,
// no right to it) ends the connection and rejects `start()` with a PolicyPadError.

import { OTClient } from './ot-client.js';

const INITIAL_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 10_000;
/** After a `rate_limited` refusal, the commit goes again this much later. */
const RATE_LIMITED_RETRY_MS = 150;
/** Error codes that refuse a commit without losing it: it is sent again, same seq. */
const RESEND_CODES = new Set(['rate_limited', 'storage_failed']);
/**
 * Error codes that refuse a commit for good (it is not valid, or this user may not edit):
 * it is taken back out of the document, and what was typed after it goes on.
 */
const REFUSED_CODES = new Set(['bad_changeset', 'bad_attribute', 'bad_pool', 'length_mismatch', 'bad_message', 'read_only']);
/** Chat messages kept while offline, sent on reconnect; more are dropped. */
const MAX_PENDING_CHAT = 100;

/** A refusal from the server: `code` is its error code (README: error codes). */
export class PolicyPadError extends Error {
  /**
   * @param {string} code e.g. 'pad_not_found', 'unauthorized'
   * @param {string} message what the server (and the client) said
   */
  constructor(code, message) {
    super(`${code}: ${message}`);
    this.name = 'PolicyPadError';
    this.code = code;
  }
}

/**
 * @typedef {string | (() => string | Promise<string>)} TokenSource a token, or a function
 *   giving one (called before each connection)
 */

/** A connection to one pad. Call `start()`, then `localChange()` for every edit. */
export class PadConnection {
  /**
   * @param {{url: string, padId: string, clientId?: string, token?: TokenSource,
   *   name?: string, color?: string, create?: boolean, seed?: string | (() => string),
   *   WebSocket?: typeof WebSocket, initialBackoffMs?: number, maxBackoffMs?: number}} options
   *   `url` is the server's base, e.g. "ws://127.0.0.1:9001"; `create`: the first join may
   *   create the pad if it does not exist, from `seed` (HTML, or a function giving it, called
   *   at that join only)
   */
  constructor(options) {
    this.options = options;
    this.clientId = options.clientId ?? randomId();
    this.WebSocket = options.WebSocket ?? globalThis.WebSocket;
    this.ot = null;
    this.socket = null;
    this.status = 'connecting';
    this.unsaved = 0;
    this.users = new Map();
    this._handlers = new Map();
    this._backoffMs = options.initialBackoffMs ?? INITIAL_BACKOFF_MS;
    this._stopped = false;
    this._catchUpTo = null;
    this._pendingChat = [];
    this._firstJoin = null;
    /** The connection attempt waiting for its token (a token function's promise). */
    this._attempt = null;
    this._reportedUnsaved = 0;
    /** While a reload waits for its `joined`: {resolve, reject}. */
    this._reload = null;
    /** The author of the remote revision being applied (during `change` handlers). */
    this.remoteAuthor = null;
  }

  /**
   * Register `handler` for an event: status, joined, change (a remote changeset, applied
   * to `ot.atext`; its author is `remoteAuthor`), rev (a revision or an ack was fully
   * processed: `ot.rev` and the pending changes are settled), before-remote (flush local
   * edits now), users, chat, presence, error.
   */
  on(event, handler) {
    if (!this._handlers.has(event)) this._handlers.set(event, []);
    this._handlers.get(event).push(handler);
    return this;
  }

  _emit(event, value) {
    for (const handler of this._handlers.get(event) ?? []) handler(value);
  }

  /** Connect and join; resolves with the first `joined` message. */
  start() {
    this._firstJoin = new Promise((resolve, reject) => {
      this._resolveJoin = resolve;
      this._rejectJoin = reject;
    });
    this._open();
    return this._firstJoin;
  }

  /** Close for good. */
  stop() {
    this._stopped = true;
    this.socket?.close();
  }

  /** Drop the connection as a network failure would (for tests); it reconnects. */
  dropConnection() {
    this.socket?.close();
  }

  /**
   * Join again on a new socket, without a revision: the server's `joined` brings the pad's
   * head, which replaces the local document (`ot.reload`). Call only once every local change
   * is acknowledged (`ot.synchronized`). Resolves when the head is in.
   * @returns {Promise<void>}
   */
  reload() {
    if (this.ot === null || !this.ot.synchronized) {
      return Promise.reject(new Error('reload needs every local change acknowledged'));
    }
    const done = new Promise((resolve, reject) => { this._reload = { resolve, reject }; });
    const old = this.socket;
    this.socket = null; // its messages and its close are no longer this connection's
    old?.close();
    if (!this._stopped) this._open();
    return done;
  }

  /**
   * Keep local changes back until the returned function is called (see OTClient.hold):
   * meanwhile status says 'saving', and they stay in the page whatever happens to the
   * connection. Call only once joined.
   * @returns {() => void} the release, which does nothing a second time
   */
  hold() {
    const ot = this.ot;
    ot.hold();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      ot.release();
      this._updateStatus();
    };
  }

  /** A local edit (a changeset on the current local text, in `ot.pool`). */
  localChange(changeset) {
    this.ot.localChange(changeset); // throws, changing nothing, if it does not apply
    this.unsaved += 1;
    this._updateStatus();
  }

  /** Send a chat message; while offline it waits (up to 100) and goes out on reconnect. */
  sendChat(text) {
    const message = { type: 'chat', text };
    if (this._canSend()) this.socket.send(JSON.stringify(message));
    else if (this._pendingChat.length < MAX_PENDING_CHAT) this._pendingChat.push(message);
  }

  sendPresence(selection) { this._send({ type: 'presence', rev: this.ot.rev, selection }); }

  get text() { return this.ot?.atext.text ?? null; }

  _open() {
    this._setStatus(this.ot === null ? 'connecting' : 'offline');
    let token = this.options.token;
    if (typeof token === 'function') {
      try {
        token = token();
      } catch (error) {
        this._tokenFailed(error);
        return;
      }
    }
    if (typeof token?.then !== 'function') {
      this._connect(token);
      return;
    }
    const attempt = Symbol('attempt');
    this._attempt = attempt;
    token.then((value) => {
      // meanwhile stopped, or another attempt began (a reload)
      if (!this._stopped && this._attempt === attempt) this._connect(value);
    }, (error) => {
      if (!this._stopped && this._attempt === attempt) this._tokenFailed(error);
    });
  }

  /** The host's token function failed: say so, and try again as after a lost connection. */
  _tokenFailed(error) {
    this._emit('error', { code: 'token_failed', message: String(error?.message ?? error) });
    if (!this._stopped) this._scheduleReconnect();
  }

  _connect(token) {
    this._attempt = null;
    const socket = new this.WebSocket(`${this.options.url}/ws/${encodeURIComponent(this.options.padId)}`);
    this.socket = socket;
    socket.onopen = () => {
      // batch: the server may send several messages in one frame, as a JSON array
      const join = { type: 'join', clientId: this.clientId, batch: true };
      if (token !== undefined && token !== null) join.token = token;
      for (const key of ['name', 'color']) {
        if (this.options[key] !== undefined) join[key] = this.options[key];
      }
      if (this.ot !== null && this._reload === null) join.rev = this.ot.rev;
      if (this.ot === null && this.options.create) {
        // only a pad that does not exist is created from it: an existing one is joined as it is
        join.create = true;
        try {
          const seed = typeof this.options.seed === 'function' ? this.options.seed() : this.options.seed;
          if (seed !== undefined) join.seed = seed;
        } catch (error) {
          // never create the pad without what the editor holds (it would then show the
          // empty pad): give up on this attach instead
          this._refuse({ code: 'seed_failed', message: `could not read the seed: ${error?.message ?? error}` });
          return;
        }
      }
      socket.send(JSON.stringify(join));
    };
    socket.onmessage = (event) => {
      if (this.socket !== socket) return; // a socket given up (reload)
      const data = JSON.parse(event.data);
      if (!Array.isArray(data)) this._receive(data);
      else for (const message of data) if (this.socket === socket) this._receive(message);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this._reload?.reject(new Error('the connection closed during a reload'));
      this._reload = null;
      this.socket = null;
      this._updateStatus();
      if (!this._stopped) this._scheduleReconnect();
    };
    socket.onerror = () => {};
  }

  _scheduleReconnect() {
    const jitter = 0.5 + Math.random() * 0.5;
    const delay = this._backoffMs * jitter;
    this._backoffMs = Math.min(this._backoffMs * 2, this.options.maxBackoffMs ?? MAX_BACKOFF_MS);
    setTimeout(() => { if (!this._stopped) this._open(); }, delay);
  }

  _receive(message) {
    switch (message.type) {
      case 'joined':
        this._backoffMs = this.options.initialBackoffMs ?? INITIAL_BACKOFF_MS;
        this.users = new Map(message.users.map((user) => [user.clientId, user]));
        if (this.ot === null) {
          this.ot = new OTClient({
            rev: message.rev, atext: message.atext, pool: message.pool,
            send: (commit) => this._send(commit),
            apply: (changeset) => this._emit('change', changeset),
            maxMessageBytes: message.maxMessageBytes,
          });
          this._resolveJoin(message);
        } else if (this._reload !== null && message.atext !== undefined) {
          const reload = this._reload;
          this._reload = null;
          try {
            this.ot.reload(message);
            reload.resolve();
          } catch (error) {
            reload.reject(error);
          }
        }
        if (Number.isSafeInteger(message.maxMessageBytes) && message.maxMessageBytes > 0) {
          this.ot.maxMessageBytes = message.maxMessageBytes; // (a restarted server may say anew)
        }
        this._catchUpTo = message.rev;
        this._afterCatchUp();
        this._emit('joined', message);
        this._emit('users', [...this.users.values()]);
        break;
      case 'revision':
        // let the editor hand over what the user typed since its last read first
        this._emit('before-remote');
        this.remoteAuthor = message.author ?? null;
        try {
          this.ot.remoteRevision(message);
        } catch (error) {
          // the document is as it was, behind the server: join again for what follows
          this._emit('error', { code: 'apply_failed', message: String(error?.message ?? error) });
          this.socket?.close();
          break;
        } finally {
          this.remoteAuthor = null;
        }
        this._afterCatchUp();
        this._emit('rev', this.ot.rev);
        break;
      case 'ack':
        this.ot.ack(message);
        if (this.ot.synchronized) this.unsaved = 0;
        this._afterCatchUp();
        this._updateStatus();
        this._emit('rev', this.ot.rev);
        break;
      case 'user-joined':
        this.users.set(message.user.clientId, message.user);
        this._emit('users', [...this.users.values()]);
        break;
      case 'user-left':
        this.users.delete(message.clientId);
        this._emit('users', [...this.users.values()]);
        break;
      case 'presence':
        this._emit('presence', message);
        break;
      case 'chat':
        this._emit('chat', message.message);
        break;
      case 'error':
        if (this.ot === null) {
          this._refuse(message);
          break;
        }
        if (RESEND_CODES.has(message.code) && message.seq === this.ot?.inflightSeq) {
          // the commit was refused, not lost (too fast, or the server could not store it):
          // send it again (same seq) a moment later
          setTimeout(() => {
            if (this.ot.inflightSeq === message.seq && this._catchUpTo === null) this.ot.resend();
          }, RATE_LIMITED_RETRY_MS);
        } else if (REFUSED_CODES.has(message.code) && message.seq === this.ot.inflightSeq) {
          this._takeBack(message.seq);
        }
        this._emit('error', message);
        break;
      default:
        break;
    }
  }

  /**
   * The commit in flight (`seq`) was refused for good: waiting for its ack would keep every
   * later change from being sent, for as long as the page stays open. Its change is taken
   * back out of the document (the editor shows it go, as an undo would), and what was
   * typed after it is sent.
   */
  _takeBack(seq) {
    this._emit('before-remote'); // what the user typed since the editor's last read, first
    try {
      this.ot.refuse(seq);
    } catch (error) {
      this._emit('error', { code: 'apply_failed', message: String(error?.message ?? error) });
      return;
    }
    if (this.ot.synchronized) this.unsaved = 0;
    this._updateStatus();
  }

  /**
   * The first join was refused (no such pad, no right to it, a bad seed): nothing will
   * change by trying again, so the connection ends and `start()` rejects.
   */
  _refuse(message) {
    let text = message.message;
    if (message.code === 'pad_not_found') {
      text += this.options.create
        ? '; a token that may create pads carries "create": true (policypad token --create)'
        : '; create it first (POST /api/pads), or attach with create: true';
    }
    const error = new PolicyPadError(message.code, text);
    this._emit('error', { ...message, message: text });
    this.stop();
    this._rejectJoin?.(error);
  }

  /** Once a reconnect's catch-up is done, the in-flight commit (if still unacked) goes again. */
  _afterCatchUp() {
    if (this._catchUpTo !== null && this.ot.rev >= this._catchUpTo) {
      this._catchUpTo = null;
      this.ot.resend();
      for (const message of this._pendingChat.splice(0)) this.socket.send(JSON.stringify(message));
      this._updateStatus();
    }
  }

  _canSend() {
    return this.socket !== null && this.socket.readyState === 1 && this._catchUpTo === null;
  }

  _send(message) {
    // While offline or catching up, commits wait in the OT state; resend() sends them.
    if (this._canSend()) this.socket.send(JSON.stringify(message));
  }

  _updateStatus() {
    if (this.socket === null || this.socket.readyState !== 1) this._setStatus('offline');
    else this._setStatus(this.ot === null || this.ot.synchronized ? 'saved' : 'saving');
  }

  _setStatus(status) {
    const recount = status === 'offline' && this.unsaved !== this._reportedUnsaved;
    if (status !== this.status || recount) {
      this.status = status;
      this._reportedUnsaved = this.unsaved;
      this._emit('status', { status, unsaved: this.unsaved });
    }
  }
}

function randomId() {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}
