// A session binds one editor (through its adapter) to one pad: it turns the editor's
// content into changesets on the shared model, applies remote changes to the editor,
// and keeps the user's own undo history.
//
// The projection rule: the session remembers what it last put into (or read from) the
// editor and diffs the editor's new content against that, never against the full model,
// so attributes an editor cannot show never turn into edits that delete them.
//
// What the editor shows may differ from the model's text (see projection-map.js): every
// offset and edit between the two goes through one ProjectionMap, kept beside the
// projection, so reading edits, putting the caret back and drawing carets agree.
//
// A change the session cannot apply (to the editor, or read from it) is never dropped in
// silence: the session resyncs (see `_resync`), and its status says `resyncing` until
// the editor shows the pad's head again with the user's edits on it. `saved` means the
// server has every local change.
//
// Presence: the session sends the user's selection (throttled, once every local change is
// acknowledged, so it is in the server's coordinates) and keeps the other users' carets in
// the local document's coordinates, moving them through every change; `carets` events and
// `session.carets` give them to whatever draws them.
//
// Images (see images.js): a picture pasted into a rich editor is uploaded to the pad and
// the model holds its URL; while it uploads, the session's changes wait in the page.

import { applyToAText, characterRangeFollow, isIdentity, makeAText, moveAttribsToPool } from './changeset.js';
import { pairsToAttribs } from './changeset/attributes.js';
import { pack, unpack } from './changeset/core.js';
import { OpAssembler, attribNumbers } from './changeset/ops.js';
import { PadConnection } from './connection.js';
import { Document } from './document.js';
import { PadImages, replaceImage } from './images.js';
import { atextToLines } from './document/lines.js';
import { hasOfficeLists } from './document/office-lists.js';
import { highestIds, pasteLines } from './document/paste.js';
import { LineRenderer, renderLines } from './document/render.js';
import { cleanUrl, IMAGE_SCHEMES } from './document/schema.js';
import {
  LineProjection, atextChangeset, linesAfter, linesChangeset, textChangeset,
} from './line-projection.js';
import { ProjectionMap } from './projection-map.js';
import { UndoManager } from './undo.js';

/** Turn an http(s) server address into the WebSocket base address. */
export function socketUrl(server) {
  const url = new URL(server, globalThis.location?.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : url.protocol === 'http:' ? 'ws:' : url.protocol;
  return url.toString().replace(/\/$/, '');
}

/**
 * A picture in the editor's HTML itself, of a type the server keeps: a seed keeps it for
 * the server to store. (Others are dropped as before: the server refuses a join whose seed
 * holds an image it cannot keep, and an SVG left in an editor must not stop the attach.)
 */
const DATA_IMAGE = /^data:image\/(?:png|jpeg|gif|webp)[;,]/i;
/** Least time between two presence messages. */
const PRESENCE_INTERVAL_MS = 100;
/** With `authors`, the editor is redrawn this long after the user stops typing. */
const AUTHORS_REFRESH_MS = 400;
/** A resync whose rebuild failed tries again after this long, doubling up to the next. */
const RESYNC_FIRST_RETRY_MS = 250;
const RESYNC_MAX_RETRY_MS = 5_000;

/**
 * Return `changeset` as the server will store it: every insert attributed to `author`,
 * no author change on kept text (the twin of policypad.pad.commit.stamp_author).
 */
export function stampAuthor(changeset, author, pool) {
  const parsed = unpack(changeset);
  pool.putAttrib(['author', author]);
  const assembler = new OpAssembler();
  let changed = false;
  for (const op of parsed.ops) {
    const pairs = attribNumbers(op.attribs).map((num) => pool.getAttrib(num));
    const kept = pairs.filter((pair) => pair[0] !== 'author');
    if (op.opcode === '+') kept.push(['author', author]);
    let attribs = op.attribs;
    if (kept.length !== pairs.length || op.opcode === '+') attribs = pairsToAttribs(kept, pool);
    if (attribs !== op.attribs) changed = true;
    assembler.append({ ...op, attribs });
  }
  if (!changed) return typeof changeset === 'string' ? changeset : parsed.pack();
  return pack(parsed.oldLen, parsed.newLen, assembler.toOps(), parsed.charBank);
}

/**
 * The HTML a plain text stands for: a paragraph a line (what the textarea's pad holds).
 * @param {string} text
 */
export function textToHTML(text) {
  return renderLines(text.split('\n').map((line) => [line ? [[line, {}]] : [], {}]));
}

export class Session {
  /**
   * @param {object} adapter an editor adapter (see adapters/README.md)
   * @param {{server: string, pad: string,
   *   token?: import('./connection.js').TokenSource, name?: string, color?: string,
   *   create?: boolean, seed?: string, authors?: boolean, WebSocket?: typeof WebSocket,
   *   initialBackoffMs?: number, maxBackoffMs?: number}} options
   *   `token`: a token, or a function giving one (or a promise of one), called before every
   *   connection, so that a session outlives short-lived tokens;
   *   `create`: if the pad does not exist, the first join creates it (the server must allow
   *   it: a token with `"create": true`); `seed`: what a pad created so starts with:
   *   'editor' (what the editor holds now) or HTML; an existing pad is never changed by it;
   *   `authors`: a rich editor shows the model with `span data-author` around text (for
   *   authorship colors; see the demo)
   */
  constructor(adapter, options) {
    this.adapter = adapter;
    this.options = options;
    this._handlers = new Map();
    this.undoManager = null;
    /** This user as the server describes it ({clientId, author, name, color, canEdit}). */
    this.you = null;
    this.connection = new PadConnection({
      url: socketUrl(options.server),
      padId: options.pad,
      token: options.token,
      name: options.name,
      color: options.color,
      create: Boolean(options.create),
      seed: options.seed === 'editor' ? () => this._editorHTML() : options.seed,
      clientId: options.clientId,
      WebSocket: options.WebSocket,
      initialBackoffMs: options.initialBackoffMs,
      maxBackoffMs: options.maxBackoffMs,
    });
    this.connection
      .on('status', (status) => this._statusChanged(status))
      .on('joined', (message) => this._joined(message))
      .on('users', (users) => this._usersChanged(users))
      .on('chat', (message) => this._emit('chat', message))
      .on('presence', (message) => {
        this._emit('presence', message);
        this._remotePresence(message);
      })
      .on('rev', () => this._takeDeferredPresence())
      .on('error', (message) => this._emit('error', message))
      .on('before-remote', () => this.flush())
      .on('change', (changeset) => this._applyRemote(changeset));
    this._projection = null;
    this._stopObserving = null;
    this._stopSelection = null;
    this._stopPaste = null;
    // presence: other users' selections in local coordinates, and those waiting for a rev
    this._carets = new Map();
    this._deferredPresence = new Map();
    this._presenceTimer = null;
    this._presenceWaiting = false;
    this._lastPresenceAt = 0;
    this._lastPresence = null;
    this._refreshTimer = null;
    this._showPadTimer = null;
    // how the text the editor shows lines up with the model's (see projection-map.js)
    this._map = null;
    // the model as lines, for rendering (rich editors); null: convert it whole when needed
    this._modelLines = null;
    // the pad's images: pasted ones uploaded, stored ones shown from the server
    this.images = new PadImages({
      server: options.server,
      pad: options.pad,
      token: options.token,
      hold: () => this.connection.hold(),
      settled: (placeholder, url, error) => this._imageSettled(placeholder, url, error),
    });
    // renders them, again only where they changed
    this._renderer = this._makeRenderer();
    // resync (see _resync): under way; what the editor showed when it began (null: not
    // known); the failure of its last rebuild; checks run on every status change
    this._resyncing = false;
    this._resyncBase = null;
    this._resyncFailure = null;
    this._statusWaiters = [];
    this._detached = false;
  }

  /**
   * What the editor holds now, as HTML (a seed for the pad). Its pictures go as they are
   * (`data:` images): the server stores them when the join creates the pad (the session's
   * uploads need the pad to exist).
   */
  _editorHTML() {
    const adapter = this.adapter;
    if (adapter.kind === 'text') return textToHTML(adapter.read());
    if (typeof adapter.setSchema !== 'function') return adapter.read().toHTML();
    const schema = adapter.schema;
    adapter.setSchema(schema.withImages({ toModel: (src) => (DATA_IMAGE.test(src) ? src : undefined) }));
    try {
      const imageSource = (src) => (DATA_IMAGE.test(src) ? src : cleanUrl(src, IMAGE_SCHEMES, true));
      return adapter.read().toHTML({ imageSource });
    } finally {
      adapter.setSchema(schema);
    }
  }

  /**
   * Connect, show the pad in the editor, start following the editor. Rejects with a
   * PolicyPadError (`code`: 'pad_not_found', 'unauthorized', ...) if the server refuses the
   * join.
   */
  async start() {
    const joined = await this.connection.start();
    // from now on an image the user pastes is uploaded (see images.js); the seed, read
    // before the join, took its pictures as they were, for the server to store
    if (this.adapter.kind !== 'text' && typeof this.adapter.setSchema === 'function') {
      this.adapter.setSchema(this.adapter.schema.withImages(this.images));
    }
    this.undoManager = new UndoManager(this.connection.ot.pool);
    this._write(null);
    this._stopObserving = this.adapter.observe(() => this.flush());
    this._stopSelection = this.adapter.observeSelection?.(() => this._selectionChanged()) ?? null;
    this._stopPaste = this.adapter.observePaste?.((html) => this.paste(html)) ?? null;
    this.adapter.bindUndo?.(() => this.undo(), () => this.redo());
    this._emit('ready', joined);
    return this;
  }

  /**
   * Call `handler` on each `event`: ready, status, users, chat, presence, carets, update,
   * error, detach. Returns the session (calls chain).
   */
  on(event, handler) {
    if (!this._handlers.has(event)) this._handlers.set(event, []);
    this._handlers.get(event).push(handler);
    return this;
  }

  /** Stop calling `handler` on `event`. Returns the session. */
  off(event, handler) {
    const handlers = this._handlers.get(event);
    const index = handlers?.indexOf(handler) ?? -1;
    if (index >= 0) handlers.splice(index, 1);
    return this;
  }

  _emit(event, value) {
    const handlers = this._handlers.get(event);
    if (handlers === undefined) return;
    // a copy: a handler may take itself off (showCarets' on `detach`)
    for (const handler of handlers.slice()) handler(value);
  }

  /**
   * 'connecting', 'saving', 'saved' (the server has every local change), 'offline', or
   * 'resyncing' (a change could not be applied; the editor is being rebuilt from the pad).
   */
  get status() { return this._resyncing ? 'resyncing' : this.connection.status; }

  /**
   * The pad's revision the editor is at (null before the first join). While `status` is
   * 'saved' the editor shows exactly that revision, this user's edits included, so a host
   * that saves the document reads the pad at this revision.
   */
  get rev() { return this.connection.ot?.rev ?? null; }

  get users() { return [...this.connection.users.values()]; }

  /**
   * The other users' selections in the local document (model offsets):
   * [{clientId, author, name, color, start, end}], for drawing remote carets (through
   * `editorSelection`, into the offsets the adapter's `rangeAt` takes).
   */
  get carets() {
    const carets = [];
    for (const [clientId, selection] of this._carets) {
      const user = this.connection.users.get(clientId);
      if (user === undefined) continue;
      carets.push({ clientId, author: user.author, name: user.name, color: user.color, ...selection });
    }
    return carets;
  }

  /**
   * Where a selection of the model ({start, end}, model offsets) stands in the editor, in
   * its adapter's offsets (what `getSelection`, `setSelection` and `rangeAt` use): they
   * differ wherever the editor shows less than the model.
   */
  editorSelection(selection) {
    return this._map === null ? selection : this._map.selectionToShown(selection);
  }

  /** The user's selection in model offsets ({start, end}), or null when not in the editor. */
  get selection() {
    const selection = this.adapter.getSelection?.() ?? null;
    return selection === null || this._map === null ? selection : this._map.selectionToModel(selection);
  }

  sendChat(text) { this.connection.sendChat(text); }

  /** Stop following the editor and close the connection (then emits `detach`). */
  detach() {
    if (this._detached) return;
    this._detached = true;
    this._stopObserving?.();
    this._stopSelection?.();
    this._stopPaste?.();
    clearTimeout(this._presenceTimer);
    clearTimeout(this._refreshTimer);
    clearTimeout(this._showPadTimer);
    this.images.stop();
    this.connection.stop();
    this._emit('detach');
  }

  /** Read the editor now and send what the user changed since the last read. */
  flush() {
    if (this._projection === null || this._resyncing) return;
    if (this.adapter.hasChanges?.() === false) return;
    try {
      const next = this._read();
      const shownChange = this._diff(this._projection, next);
      if (shownChange === null) return;
      // the change was read against the text as shown: the map moves it onto the model's,
      // keeping what the editor does not show
      const changeset = this._map.changesetToModel(shownChange, this.connection.ot.atext);
      const map = this._map.afterShownChange(shownChange);
      if (!isIdentity(changeset)) this._localChange(changeset);
      this._projection = next;
      this._map = map;
    } catch (error) {
      this._resync(error); // the edit is still in the editor: the resync reads it
      return;
    }
    if (this._projection.residue) this._scheduleShowPad();
    if (this.options.authors && this.adapter.kind !== 'text') this._scheduleRefresh();
  }

  /**
   * Take a paste (its text/html) from a rich editor, if the editor's own paste would lose
   * what it holds: Word's list paragraphs, which every editor's paste (and the browser's)
   * turns into paragraphs starting with "·" or "1.". The model's parser reads them as real
   * lists, with their levels, type and start; they replace the user's selection in the pad
   * (one step of the user's undo) and then in the editor, the caret after them. Returns
   * whether the paste was taken (the adapter then cancels the editor's).
   * @param {string} html
   */
  paste(html) {
    if (this.adapter.kind === 'text' || !hasOfficeLists(html)) return false;
    if (this._projection === null || this._resyncing) return false;
    this.flush();
    const selection = this.adapter.getSelection?.() ?? null;
    if (this._resyncing || selection === null) return false;
    const pasted = Document.fromHTML(html, this.adapter.options ?? {}).toLines();
    const shown = this._projection;
    const used = highestIds(shown.lines, this._linesOfModel());
    const { lines, caret } = pasteLines(shown.lines, selection, pasted, used);
    const next = new LineProjection(lines, shown);
    try {
      // as if the editor had shown the pasted lines: the change goes onto the model as a
      // read edit would (see flush), then the model into the editor
      const shownChange = this._diff(shown, next);
      if (shownChange === null) return true;
      const changeset = this._map.changesetToModel(shownChange, this.connection.ot.atext);
      const map = this._map.afterShownChange(shownChange);
      const at = map.selectionToModel({ start: caret, end: caret });
      if (!isIdentity(changeset)) this._localChange(changeset);
      this._projection = next;
      this._map = map;
      this._write(null);
      if (!this._resyncing) this.adapter.suspend(() => this.adapter.setSelection?.(this.editorSelection(at)));
    } catch (error) {
      this._resync(error);
    }
    this._selectionChanged();
    return true;
  }

  undo() { this._history('undoStack', (current) => this.undoManager.undo(current)); }

  redo() { this._history('redoStack', (current) => this.undoManager.redo(current)); }

  _history(stack, take) {
    if (this._projection === null || this._resyncing) return;
    this.flush();
    const manager = this.undoManager;
    const saved = [manager.undoStack.slice(), manager.redoStack.slice()];
    const current = this.connection.ot.atext;
    let changeset;
    try {
      changeset = take(current);
      // an entry moved through other people's edits can come out unusable (it would
      // delete the newline that now ends the document): check before sending it
      if (changeset !== null) applyToAText(changeset, current, this.connection.ot.pool);
    } catch {
      [manager.undoStack, manager.redoStack] = saved;
      manager[stack].pop(); // drop that step, keep the rest of the history
      return;
    }
    if (changeset === null) return;
    const stamped = this._localChange(changeset, false);
    // the user's own change: a caret where text comes back goes after it, as in any editor
    this._write(stamped, false);
  }

  /** Send a local change (stamped with this user as author, as the server will). */
  _localChange(changeset, record = true) {
    const pool = this.connection.ot.pool;
    changeset = this.images.resolve(changeset, pool);
    if (this.you !== null) changeset = stampAuthor(changeset, this.you.author, pool);
    const before = this.connection.ot.atext;
    this.connection.localChange(changeset); // the commit leaves first; the bookkeeping follows
    try {
      if (record) this.undoManager.recordLocal(changeset, before);
      this._advanceLines(changeset);
      // another user's caret where this user types stays before the new text, as on their screen
      this._moveCarets(changeset, () => true);
    } catch (error) {
      // the change is sent: a step of the undo history or a caret may be lost, nothing more
      this._emit('error', { code: 'bookkeeping', message: String(error?.message ?? error) });
    }
    this._emit('update', { changeset, local: true });
    return changeset;
  }

  _applyRemote(changeset) {
    const author = this.connection.remoteAuthor;
    // the change is in the model now: whatever goes wrong below, it must not throw
    try {
      this.undoManager.recordRemote(changeset);
      if (this._resyncing) {
        this._modelLines = null; // the editor is rebuilt from the model when the resync ends
      } else {
        this._advanceLines(changeset);
        this._write(changeset);
      }
      // the author's own caret moves past what they typed; the others' stay before it
      this._moveCarets(changeset, (clientId) => this.connection.users.get(clientId)?.author !== author);
    } catch (error) {
      this._resync(error);
    }
    this._emit('update', { changeset, local: false, author });
  }

  _makeRenderer() {
    return new LineRenderer({ authors: Boolean(this.options.authors), imageSource: (src) => this.images.toEditor(src) });
  }

  /**
   * An image's upload ended (its changes are still held): the model's `placeholder`
   * becomes the stored `url`, or, refused, the image's alt text, and the user hears why.
   */
  _imageSettled(placeholder, url, error) {
    if (error !== null) this._emit('error', error);
    if (this._detached || this._projection === null) return;
    // what the user typed since the last read is taken first, against the right projection
    this.flush();
    const ot = this.connection.ot;
    let change;
    try {
      change = replaceImage(ot.atext, ot.pool, placeholder, url);
    } catch (failure) {
      this._resync(failure);
      return;
    }
    if (change === null) return; // deleted meanwhile, or the read above took it
    const stamped = this._localChange(change, false);
    // not the user's own step to undo: the history moves over it as over another's change
    this.undoManager.recordRemote(stamped);
    if (!this._resyncing) this._write(stamped);
  }

  // -- resync ---------------------------------------------------------------------------------

  /**
   * A change could not be applied: written into the editor, or read from it. The editor and
   * the model are out of step, so the session resyncs: status 'resyncing' (and an `error`
   * event, code 'resync') at once; the editor is neither read nor written meanwhile, so
   * what the user types stays in it. Then: once the server has every change the client
   * holds, the pad's head is loaded again (a fresh join), the editor is rebuilt from it,
   * and what the editor holds beyond what it showed when this began (the user's typing, an
   * edit that could not be read) is sent as the user's change. Status then follows the
   * connection again ('saving', then 'saved' once the server has it all).
   * @param {unknown} error what failed
   * @param {boolean} [editorWritten] the failure came while the editor was being written:
   *   it may hold part of that write, which must not count as the user's
   */
  _resync(error, editorWritten = false) {
    this._emit('error', { code: 'resync', message: String(error?.message ?? error) });
    if (editorWritten) {
      // the base to read the user's edits against is the editor as the failure left it
      try {
        this._resyncBase = this._read();
      } catch {
        this._resyncBase = null; // unreadable: the rebuild cannot tell typing from the write
      }
    }
    if (this._resyncing) {
      this._resyncFailure = error; // the rebuild under way failed: it runs again
      return;
    }
    if (!editorWritten) this._resyncBase = this._projection;
    this._resyncing = true;
    clearTimeout(this._refreshTimer);
    this._emit('status', { status: 'resyncing', unsaved: this.connection.unsaved });
    this._resyncLoop().catch((failure) => this._emit('error', { code: 'resync', message: String(failure) }));
  }

  async _resyncLoop() {
    let delay = 0;
    while (!this._detached) {
      if (delay > 0) await new Promise((resolve) => { setTimeout(resolve, delay); });
      try {
        await this._untilSaved();
        const before = { atext: this.connection.ot.atext, pool: this.connection.ot.pool };
        await this.connection.reload();
        this._resyncFailure = null;
        this._rebuild(before);
      } catch (error) {
        this._resyncFailure = error; // e.g. the connection closed during the reload
      }
      if (this._resyncFailure === null) break;
      delay = Math.min(RESYNC_MAX_RETRY_MS, delay * 2 || RESYNC_FIRST_RETRY_MS);
    }
    this._resyncing = false;
    this._resyncBase = null;
    this._emit('status', { status: this.connection.status, unsaved: this.connection.unsaved });
    this._selectionChanged();
  }

  /** Resolve once the connection is up and the server has every local change. */
  _untilSaved() {
    return new Promise((resolve) => {
      const saved = () => {
        if (this.connection.status !== 'saved' || !this.connection.ot.synchronized) return false;
        resolve();
        return true;
      };
      if (!saved()) this._statusWaiters.push(saved);
    });
  }

  /**
   * The pad's head is in (`before`: the document and pool the client had, all of it
   * acknowledged): move the undo history and the carets onto it, rebuild the editor from
   * it, and send what the editor holds beyond what it showed when the resync began.
   */
  _rebuild(before) {
    const ot = this.connection.ot;
    const pool = ot.pool;
    // what the pad changed meanwhile, found by a diff, moves what points into the document
    const had = makeAText(before.atext.text, moveAttribsToPool(before.atext.attribs, before.pool, pool));
    const since = atextChangeset(had, ot.atext, pool);
    this.undoManager.reload(since, before.pool, pool);
    this._moveCarets(since, () => true);
    this._modelLines = null;
    // the editor read afresh, against what it showed: the user's edits since
    this.adapter.reset?.();
    const shown = this._read();
    const base = this._resyncBase;
    let map = ProjectionMap.between(shown.text, ot.atext.text);
    let edit = null;
    if (base !== null) {
      const unread = this._diff(base, shown);
      map = ProjectionMap.between(base.text, ot.atext.text);
      if (unread !== null) {
        edit = map.changesetToModel(unread, ot.atext);
        map = map.afterShownChange(unread);
      }
    }
    this._projection = shown;
    this._map = map;
    this._resyncBase = shown;
    if (edit !== null && !isIdentity(edit)) this._localChange(edit);
    this._emit('update', { changeset: since, local: false, reload: true });
    // the whole model into the editor (the adapter replaces what differs), the caret kept
    this._write(null);
  }

  // -- presence -----------------------------------------------------------------------------

  _joined(message) {
    this.you = message.you ?? this.you;
    if ((message.imageToken ?? null) !== this.images.accessToken) {
      // the images' URLs carry it: lines rendered with the old one are rendered again
      this.images.accessToken = message.imageToken ?? null;
      this._renderer = this._makeRenderer();
    }
    for (const user of message.users) {
      if (user.selection) this._remotePresence({ clientId: user.clientId, rev: message.rev, selection: user.selection });
    }
    this._lastPresence = null;
    if (this._projection !== null) this._selectionChanged();
  }

  _usersChanged(users) {
    const present = new Set(users.map((user) => user.clientId));
    for (const clientId of [...this._carets.keys()]) if (!present.has(clientId)) this._carets.delete(clientId);
    for (const clientId of [...this._deferredPresence.keys()]) if (!present.has(clientId)) this._deferredPresence.delete(clientId);
    this._emit('users', users);
    this._emit('carets', this.carets);
  }

  _statusChanged(status) {
    this._statusWaiters = this._statusWaiters.filter((check) => !check());
    if (this._resyncing) return; // 'resyncing' until the editor is rebuilt
    if (this._presenceWaiting && status.status === 'saved') this._selectionChanged();
    this._emit('status', status);
  }

  /** A presence message: a selection at the server's `rev`, moved into the local document. */
  _remotePresence(message) {
    const ot = this.connection.ot;
    if (ot === null || typeof message.selection?.start !== 'number') return;
    if (message.rev > ot.rev) {
      // the revisions up to message.rev are still on their way
      this._deferredPresence.set(message.clientId, message);
      return;
    }
    this._deferredPresence.delete(message.clientId);
    let { start, end } = message.selection;
    // the server's document at ot.rev, then this client's unacknowledged changes on top
    for (const pending of [ot.state.outstanding, ot.state.buffer]) {
      if (pending) [start, end] = characterRangeFollow(pending, start, end, true);
    }
    const last = ot.atext.length - 1;
    this._carets.set(message.clientId, { start: Math.min(start, last), end: Math.min(end, last) });
    this._emit('carets', this.carets);
  }

  _takeDeferredPresence() {
    const rev = this.connection.ot.rev;
    for (const message of [...this._deferredPresence.values()]) {
      if (message.rev <= rev) this._remotePresence(message);
    }
  }

  _moveCarets(changeset, insertionsAfter) {
    if (this._carets.size === 0) return;
    for (const [clientId, selection] of this._carets) {
      const [start, end] = characterRangeFollow(changeset, selection.start, selection.end, insertionsAfter(clientId));
      this._carets.set(clientId, { start, end });
    }
    this._emit('carets', this.carets);
  }

  /** The local selection changed: send it, at most every PRESENCE_INTERVAL_MS. */
  _selectionChanged() {
    if (this._presenceTimer !== null) return;
    const wait = Math.max(0, this._lastPresenceAt + PRESENCE_INTERVAL_MS - Date.now());
    this._presenceTimer = setTimeout(() => {
      this._presenceTimer = null;
      this._sendPresence();
    }, wait);
  }

  _sendPresence() {
    this._presenceWaiting = false;
    const connection = this.connection;
    if (connection.ot === null || connection.socket?.readyState !== 1 || this._resyncing) {
      this._presenceWaiting = true; // sent again once joined
      return;
    }
    this.flush();
    if (!connection.ot.synchronized) {
      // a selection in a document the server has not seen yet: wait for the ack
      this._presenceWaiting = true;
      return;
    }
    const selection = this.selection;
    if (selection === null) return;
    const last = connection.ot.atext.length - 1;
    const start = Math.max(0, Math.min(selection.start, selection.end, last));
    const end = Math.max(0, Math.min(Math.max(selection.start, selection.end), last));
    const key = `${connection.ot.rev}:${start}:${end}`;
    if (key === this._lastPresence) return;
    this._lastPresence = key;
    this._lastPresenceAt = Date.now();
    connection.sendPresence({ start, end });
  }

  /**
   * The editor holds what the pad does not (a pasted script URL, an event handler, an
   * iframe; see Document.residue): once the task that put it there is over (a paste can
   * still be under way: inserting an iframe runs script in the middle of it), read what
   * came since and show the pad again where the editor differs, the caret kept, outside the
   * editor's undo history (adapters write outside it).
   */
  _scheduleShowPad() {
    if (this._showPadTimer !== null) return;
    this._showPadTimer = setTimeout(() => {
      this._showPadTimer = null;
      if (this._projection === null || this._resyncing) return;
      this.flush();
      if (this._projection.residue) this._write(null);
    }, 0);
  }

  /** With `authors`: redraw the editor from the model once typing pauses (own text's color). */
  _scheduleRefresh() {
    clearTimeout(this._refreshTimer);
    this._refreshTimer = setTimeout(() => {
      this._refreshTimer = null;
      if (this._projection === null || this._resyncing) return;
      this.flush();
      this._write(null);
    }, AUTHORS_REFRESH_MS);
  }

  /**
   * Show the model in the editor after `changeset`, then read it back. The editor must
   * never stay behind the model (the user's next edit would be read against the wrong
   * text): if the write or the read fails, the session resyncs.
   */
  _write(changeset, insertionsAfter = true) {
    try {
      let placed;
      this.adapter.suspend(() => { placed = this._writeModel(changeset, insertionsAfter); });
      this._project(placed.map);
      placed.settle();
    } catch (error) {
      this._resync(error, true);
    }
  }

  /**
   * Write the model into the editor. The user's selection is read in the editor's offsets,
   * mapped to the model's, moved through `changeset` (text inserted at the caret goes
   * after it, unless `insertionsAfter` is false) and mapped back through the map the
   * editor will have once it shows the change (a guess, checked once it is read back).
   * Returns that guess, and `settle()`, to call once the editor is read back: it puts a
   * caret the adapter placed by a wrong guess where the map read back says.
   */
  _writeModel(changeset, insertionsAfter = true) {
    const atext = this.connection.ot.atext;
    const map = this._map === null ? ProjectionMap.identity(atext.length)
      : changeset === null ? this._map : this._map.afterModelChange(changeset);
    let placed = null; // the selection the adapter asked for (model offsets, after the change)
    const moved = () => {
      let selection = this.adapter.getSelection?.() ?? null;
      if (selection === null) return null;
      if (this._map !== null) selection = this._map.selectionToModel(selection);
      if (changeset !== null) {
        try {
          const [start, end] = characterRangeFollow(changeset, selection.start, selection.end, insertionsAfter);
          selection = { start, end };
        } catch {
          return null; // a caret the adapter misplaced: lose it, never the change
        }
      }
      placed = selection;
      return map.selectionToShown(selection);
    };
    if (this.adapter.kind === 'text') {
      this.adapter.write(atext.text.slice(0, -1), moved());
    } else {
      // a rich adapter that takes a function asks for the selection only if it needs it
      // (when the block holding the caret is replaced), before it changes anything
      const selection = this.adapter.lazySelection ? moved : moved();
      this.adapter.write(this._renderer.render(this._linesOfModel()), selection);
    }
    const settle = () => {
      if (placed === null || this._map === map || this.adapter.setSelection === undefined) return;
      const guessed = map.selectionToShown(placed);
      const right = this._map.selectionToShown(placed);
      if (guessed.start !== right.start || guessed.end !== right.end) {
        this.adapter.suspend(() => this.adapter.setSelection(right));
      }
    };
    return { map, settle };
  }

  /** The model's lines (kept up to date change by change, see `_advanceLines`). */
  _linesOfModel() {
    if (this._modelLines === null) {
      this._modelLines = atextToLines(this.connection.ot.atext, this.connection.ot.pool);
    }
    return this._modelLines;
  }

  /**
   * Move the model's lines through `changeset` (just applied to the model): only the lines
   * it touches are converted again, so a change costs what it touches, not the document.
   */
  _advanceLines(changeset) {
    if (this._modelLines === null || this.adapter.kind === 'text') return;
    try {
      this._modelLines = linesAfter(this._modelLines, changeset, this.connection.ot.pool);
    } catch {
      this._modelLines = null; // converted whole when next needed
    }
  }

  /**
   * Read the editor after writing the model into it. An editor may show the model's text
   * otherwise than it holds it (a browser drops a space at the end of a line, collapses
   * two spaces, which a textarea user may well have typed; CKEditor 5 shows a pre as one
   * paragraph): the map says how, and the user's later edits, read against the text as
   * shown, go through it onto the model's text (see `flush`), so nothing the editor hides
   * is lost. `expected`, the map the editor should now have, is kept if it holds (so the
   * map stays the same where a fresh diff could line the texts up otherwise).
   */
  _project(expected = null) {
    this._projection = this._read();
    const shown = this._projection;
    const model = this.connection.ot.atext;
    if (expected !== null && shown.length === expected.shownLength && expected.fits(shown.text, model.text)) {
      this._map = expected;
    } else {
      this._map = ProjectionMap.between(shown.text, model.text);
    }
  }

  /** The editor's content as the session compares it: its text, or its lines. */
  _read() {
    if (this.adapter.kind === 'text') return { text: `${this.adapter.read()}\n` };
    // the document's own lines, not a copy (toLines()): the incremental parser hands back
    // the same line objects for blocks that did not change, and their runs share attribute
    // objects, which linesToAText looks up by identity
    const doc = this.adapter.read();
    return new LineProjection(doc._lines ?? doc.toLines(), this._projection, doc.residue === true);
  }

  _diff(before, after) {
    const changeset = this.adapter.kind === 'text'
      ? textChangeset(before.text, after.text)
      : linesChangeset(before, after, this.connection.ot.pool);
    return changeset === null || isIdentity(changeset) ? null : changeset;
  }
}
