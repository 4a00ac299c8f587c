// A session binds one editor (through its adapter) to one pad: it turns the editor's
// content into changesets on the shared model, applies remote changes to the editor,
// and keeps the user's own undo history.
//
// The projection rule: the session remembers what it last put into (or read from) the
// editor and diffs the editor's new content against that, never against the full model,
// so attributes an editor cannot show never turn into edits that delete them.

import { changesetFromATexts, changesetFromTexts, characterRangeFollow, isIdentity } from './changeset.js';
import { PadConnection } from './connection.js';
import { Document } from './document.js';
import { linesToAText } from './document/lines.js';
import { UndoManager } from './undo.js';

/** Turn an http(s) server address into the WebSocket base address. */
export function socketUrl(server) {
  const url = new URL(server, globalThis.location?.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : url.protocol === 'http:' ? 'ws:' : url.protocol;
  return url.toString().replace(/\/$/, '');
}

export class Session {
  /**
   * @param {object} adapter an editor adapter (see adapters/README.md)
   * @param {{server: string, pad: string, token?: string, name?: string, color?: string,
   *   WebSocket?: typeof WebSocket}} options
   */
  constructor(adapter, options) {
    this.adapter = adapter;
    this.options = options;
    this._handlers = new Map();
    this.undoManager = null;
    this.connection = new PadConnection({
      url: socketUrl(options.server),
      padId: options.pad,
      token: options.token,
      name: options.name,
      color: options.color,
      clientId: options.clientId,
      WebSocket: options.WebSocket,
    });
    this.connection
      .on('status', (status) => this._emit('status', status))
      .on('users', (users) => this._emit('users', users))
      .on('chat', (message) => this._emit('chat', message))
      .on('presence', (message) => this._emit('presence', message))
      .on('error', (message) => this._emit('error', message))
      .on('before-remote', () => this.flush())
      .on('change', (changeset) => this._applyRemote(changeset));
    this._projection = null;
    this._stopObserving = null;
  }

  /** Connect, show the pad in the editor, start following the editor. */
  async start() {
    const joined = await this.connection.start();
    this.undoManager = new UndoManager(this.connection.ot.pool);
    this.adapter.suspend(() => this._writeModel(null));
    this._projection = this._read();
    this._stopObserving = this.adapter.observe(() => this.flush());
    this.adapter.bindUndo?.(() => this.undo(), () => this.redo());
    this._emit('ready', joined);
    return this;
  }

  on(event, handler) {
    if (!this._handlers.has(event)) this._handlers.set(event, []);
    this._handlers.get(event).push(handler);
    return this;
  }

  _emit(event, value) {
    for (const handler of this._handlers.get(event) ?? []) handler(value);
  }

  get status() { return this.connection.status; }

  get users() { return [...this.connection.users.values()]; }

  sendChat(text) { this.connection.sendChat(text); }

  /** Stop following the editor and close the connection. */
  detach() {
    this._stopObserving?.();
    this.connection.stop();
  }

  /** Read the editor now and send what the user changed since the last read. */
  flush() {
    if (this._projection === null) return;
    const next = this._read();
    const changeset = this._diff(this._projection, next);
    if (changeset === null) return;
    this._projection = next;
    const before = this.connection.ot.atext;
    this.undoManager.recordLocal(changeset, before);
    this.connection.localChange(changeset);
  }

  undo() { this._history((current) => this.undoManager.undo(current)); }

  redo() { this._history((current) => this.undoManager.redo(current)); }

  _history(take) {
    this.flush();
    const changeset = take(this.connection.ot.atext);
    if (changeset === null) return;
    this.connection.localChange(changeset);
    this.adapter.suspend(() => this._writeModel(changeset));
    this._projection = this._read();
  }

  _applyRemote(changeset) {
    this.undoManager.recordRemote(changeset);
    this.adapter.suspend(() => this._writeModel(changeset));
    this._projection = this._read();
  }

  /** Put the model into the editor; keep the user's selection, moved through `changeset`. */
  _writeModel(changeset) {
    const atext = this.connection.ot.atext;
    let selection = this.adapter.getSelection?.() ?? null;
    if (selection !== null && changeset !== null) {
      const [start, end] = characterRangeFollow(changeset, selection.start, selection.end, true);
      selection = { start, end };
    }
    if (this.adapter.kind === 'text') {
      this.adapter.write(atext.text.slice(0, -1), selection);
    } else {
      const doc = Document.fromAText(atext, this.connection.ot.pool);
      this.adapter.write(doc.toHTML(), selection);
    }
  }

  /** The editor's content as the session compares it: text, or an AText in the pad's pool. */
  _read() {
    if (this.adapter.kind === 'text') return { text: `${this.adapter.read()}\n` };
    const doc = this.adapter.read();
    return linesToAText(doc.toLines(), this.connection.ot.pool);
  }

  _diff(before, after) {
    const changeset = this.adapter.kind === 'text'
      ? changesetFromTexts(before.text, after.text)
      : changesetFromATexts(before, after, this.connection.ot.pool);
    return isIdentity(changeset) ? null : changeset;
  }
}
