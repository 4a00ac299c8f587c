// A session binds one editor (through its adapter) to one pad: it turns the editor's
// content into changesets on the shared model, applies remote changes to the editor,
// and keeps the user's own undo history.
//
// The projection rule: the session remembers what it last put into (or read from) the
// editor and diffs the editor's new content against that, never against the full model,
// so attributes an editor cannot show never turn into edits that delete them.
//
// Presence: the session sends the user's selection (throttled, once every local change is
// acknowledged, so it is in the server's coordinates) and keeps the other users' carets in
// the local document's coordinates, moving them through every change; `carets` events and
// `session.carets` give them to whatever draws them.

import { applyToAText, characterRangeFollow, follow, isIdentity } from './changeset.js';
import { pairsToAttribs } from './changeset/attributes.js';
import { pack, unpack } from './changeset/core.js';
import {
  changesetFromATexts, changesetFromTexts, diffGroupsKeepingFinalNewline,
} from './changeset/diff.js';
import { OpAssembler, attribNumbers } from './changeset/ops.js';
import { PadConnection } from './connection.js';
import { atextToLines, linesToAText } from './document/lines.js';
import { LineRenderer } from './document/render.js';
import { UndoManager } from './undo.js';

/** Turn an http(s) server address into the WebSocket base address. */
export function socketUrl(server) {
  const url = new URL(server, globalThis.location?.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : url.protocol === 'http:' ? 'ws:' : url.protocol;
  return url.toString().replace(/\/$/, '');
}

/** Least time between two presence messages. */
const PRESENCE_INTERVAL_MS = 100;
/** With `authors`, the editor is redrawn this long after the user stops typing. */
const AUTHORS_REFRESH_MS = 400;

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

export class Session {
  /**
   * @param {object} adapter an editor adapter (see adapters/README.md)
   * @param {{server: string, pad: string, token?: string, name?: string, color?: string,
   *   authors?: boolean, WebSocket?: typeof WebSocket, initialBackoffMs?: number,
   *   maxBackoffMs?: number}} options  `authors`: a rich editor shows the model with
   *   `span data-author` around text (for authorship colors; see the demo)
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
    // presence: other users' selections in local coordinates, and those waiting for a rev
    this._carets = new Map();
    this._deferredPresence = new Map();
    this._presenceTimer = null;
    this._presenceWaiting = false;
    this._lastPresenceAt = 0;
    this._lastPresence = null;
    this._refreshTimer = null;
    // how the model's text differs from the text the editor shows (a changeset from the
    // shown text to the model's), or null when they are the same
    this._hidden = null;
    // the model as lines, for rendering (rich editors); null: convert it whole when needed
    this._modelLines = null;
    // renders them, again only where they changed
    this._renderer = new LineRenderer({ authors: Boolean(options.authors) });
  }

  /** Connect, show the pad in the editor, start following the editor. */
  async start() {
    const joined = await this.connection.start();
    this.undoManager = new UndoManager(this.connection.ot.pool);
    this.adapter.suspend(() => this._writeModel(null));
    this._project();
    this._stopObserving = this.adapter.observe(() => this.flush());
    this._stopSelection = this.adapter.observeSelection?.(() => this._selectionChanged()) ?? null;
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

  /**
   * The pad's revision the editor is at (null before the first join). While `status` is
   * 'saved' the editor shows exactly that revision, this user's edits included, so a host
   * that saves the document reads the pad at this revision.
   */
  get rev() { return this.connection.ot?.rev ?? null; }

  get users() { return [...this.connection.users.values()]; }

  /**
   * The other users' selections in the local document (model offsets):
   * [{clientId, author, name, color, start, end}], for drawing remote carets.
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

  sendChat(text) { this.connection.sendChat(text); }

  /** Stop following the editor and close the connection. */
  detach() {
    this._stopObserving?.();
    this._stopSelection?.();
    clearTimeout(this._presenceTimer);
    clearTimeout(this._refreshTimer);
    this.connection.stop();
  }

  /** Read the editor now and send what the user changed since the last read. */
  flush() {
    if (this._projection === null) return;
    if (this.adapter.hasChanges?.() === false) return;
    const next = this._read();
    let changeset = this._diff(this._projection, next);
    if (changeset === null) return;
    this._projection = next;
    if (this._hidden !== null) {
      // the user's change was read against the text as shown: move it onto the model's,
      // keeping what the editor does not show (as if that were a concurrent change)
      changeset = follow(this._hidden, changeset, false, this.connection.ot.pool);
    }
    if (!isIdentity(changeset)) this._localChange(changeset);
    if (this._hidden !== null) this._compareShown();
    if (this.options.authors && this.adapter.kind !== 'text') this._scheduleRefresh();
  }

  undo() { this._history('undoStack', (current) => this.undoManager.undo(current)); }

  redo() { this._history('redoStack', (current) => this.undoManager.redo(current)); }

  _history(stack, take) {
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
    if (this.you !== null) changeset = stampAuthor(changeset, this.you.author, pool);
    const before = this.connection.ot.atext;
    this.connection.localChange(changeset); // the commit leaves first; the bookkeeping follows
    if (record) this.undoManager.recordLocal(changeset, before);
    this._advanceLines(changeset);
    // another user's caret where this user types stays before the new text, as on their screen
    this._moveCarets(changeset, () => true);
    this._emit('update', { changeset, local: true });
    return changeset;
  }

  _applyRemote(changeset) {
    const author = this.connection.remoteAuthor;
    this.undoManager.recordRemote(changeset);
    this._advanceLines(changeset);
    this._write(changeset);
    // the author's own caret moves past what they typed; the others' stay before it
    this._moveCarets(changeset, (clientId) => this.connection.users.get(clientId)?.author !== author);
    this._emit('update', { changeset, local: false, author });
  }

  // -- presence -----------------------------------------------------------------------------

  _joined(message) {
    this.you = message.you ?? this.you;
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
    if (connection.ot === null || connection.socket?.readyState !== 1) {
      this._presenceWaiting = true; // sent again once joined
      return;
    }
    this.flush();
    if (!connection.ot.synchronized) {
      // a selection in a document the server has not seen yet: wait for the ack
      this._presenceWaiting = true;
      return;
    }
    let selection = this.adapter.getSelection?.() ?? null;
    if (selection === null) return;
    if (this._hidden !== null) selection = this._toModel(selection);
    const last = connection.ot.atext.length - 1;
    const start = Math.max(0, Math.min(selection.start, selection.end, last));
    const end = Math.max(0, Math.min(Math.max(selection.start, selection.end), last));
    const key = `${connection.ot.rev}:${start}:${end}`;
    if (key === this._lastPresence) return;
    this._lastPresence = key;
    this._lastPresenceAt = Date.now();
    connection.sendPresence({ start, end });
  }

  /** With `authors`: redraw the editor from the model once typing pauses (own text's color). */
  _scheduleRefresh() {
    clearTimeout(this._refreshTimer);
    this._refreshTimer = setTimeout(() => {
      this._refreshTimer = null;
      if (this._projection === null) return;
      this.flush();
      this.adapter.suspend(() => this._writeModel(null));
      this._project();
    }, AUTHORS_REFRESH_MS);
  }

  /**
   * Put the model into the editor; keep the user's selection, moved through `changeset`
   * (text inserted at the caret goes after it, unless `insertionsAfter` is false).
   */
  /**
   * Show the model in the editor after `changeset`, then read it back. The editor must
   * never stay behind the model (the user's next edit would be read against the wrong
   * text and refused): if the adapter's write fails, the whole model is written again.
   */
  _write(changeset, insertionsAfter = true) {
    try {
      this.adapter.suspend(() => this._writeModel(changeset, insertionsAfter));
    } catch (error) {
      this._emit('error', { code: 'editor_write', message: String(error) });
      this.adapter.suspend(() => this._writeModel(null));
    }
    this._project();
  }

  _writeModel(changeset, insertionsAfter = true) {
    const atext = this.connection.ot.atext;
    // the user's selection, moved through the change (read from the editor as it was)
    const moved = () => {
      let selection = this.adapter.getSelection?.() ?? null;
      if (selection !== null && this._hidden !== null) selection = this._toModel(selection);
      if (selection !== null && changeset !== null) {
        try {
          const [start, end] = characterRangeFollow(changeset, selection.start, selection.end, insertionsAfter);
          selection = { start, end };
        } catch {
          selection = null; // a caret the adapter misplaced: lose it, never the change
        }
      }
      return selection;
    };
    if (this.adapter.kind === 'text') {
      this.adapter.write(atext.text.slice(0, -1), moved());
    } else {
      // a rich adapter that takes a function asks for the selection only if it needs it
      // (when the block holding the caret is replaced), before it changes anything
      const selection = this.adapter.lazySelection ? moved : moved();
      this.adapter.write(this._renderer.render(this._linesOfModel()), selection);
    }
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
   * two spaces, which a textarea user may well have typed): the difference is kept as
   * `_hidden`, and the user's later edits, read against the text as shown, are moved
   * over it onto the model's text (see `flush`), so nothing the editor hides is lost.
   */
  _project() {
    this._projection = this._read();
    this._compareShown();
  }

  /** Note how the text the editor shows differs from the model's (see `_hidden`). */
  _compareShown() {
    const model = this.connection.ot.atext;
    const shown = this._projection;
    this._hidden = shown.length === model.length && shown.text === model.text
      ? null
      : textChangeset(shown.text, model.text);
    if (this._hidden !== null && isIdentity(this._hidden)) this._hidden = null;
  }

  /** A selection in the text the editor shows, in the model's text. */
  _toModel(selection) {
    const [start, end] = characterRangeFollow(this._hidden, selection.start, selection.end, true);
    return { start, end };
  }

  /** The editor's content as the session compares it: its text, or its lines. */
  _read() {
    if (this.adapter.kind === 'text') return { text: `${this.adapter.read()}\n` };
    // the document's own lines, not a copy (toLines()): the incremental parser hands back
    // the same line objects for blocks that did not change, and their runs share attribute
    // objects, which linesToAText looks up by identity
    const doc = this.adapter.read();
    return new LineProjection(doc._lines ?? doc.toLines(), this._projection);
  }

  _diff(before, after) {
    const changeset = this.adapter.kind === 'text'
      ? textChangeset(before.text, after.text)
      : linesChangeset(before, after, this.connection.ot.pool);
    return changeset === null || isIdentity(changeset) ? null : changeset;
  }
}

/**
 * What a rich editor showed: its lines; the text is joined only when asked for, from the
 * text of the `previous` projection where its lines are the same objects (an editor read
 * again hands back the lines it did not change).
 */
class LineProjection {
  constructor(lines, previous = null) {
    this.lines = lines;
    this._text = null;
    this._length = -1;
    // kept only while its text is known, so projections never chain
    this._previous = previous !== null && previous._text !== null ? previous : null;
  }

  get text() {
    if (this._text === null) {
      const previous = this._previous;
      this._previous = null;
      this._text = previous === null ? joinLines(this.lines, 0, this.lines.length) : textAfter(previous, this.lines);
    }
    return this._text;
  }

  get length() {
    if (this._length < 0) {
      if (this._text !== null || this._previous !== null) {
        this._length = this.text.length;
      } else {
        let length = 0;
        for (const line of this.lines) length += lineLength(line);
        this._length = length;
      }
    }
    return this._length;
  }
}

/** The text of lines[start..end), a newline after each. */
function joinLines(lines, start, end) {
  const parts = [];
  for (let i = start; i < end; i++) {
    for (const [text] of lines[i][0]) parts.push(text);
    parts.push('\n');
  }
  return parts.join('');
}

/** The text of `lines`, from a projection whose text is known: only the lines that differ are joined. */
function textAfter(previous, lines) {
  const old = previous.lines;
  const text = previous.text;
  let start = 0;
  while (start < old.length && start < lines.length && old[start] === lines[start]) start += 1;
  let endOld = old.length;
  let endNew = lines.length;
  while (endOld > start && endNew > start && old[endOld - 1] === lines[endNew - 1]) {
    endOld -= 1;
    endNew -= 1;
  }
  let head = 0;
  for (let i = 0; i < start; i++) head += lineLength(old[i]);
  let tail = 0;
  for (let i = endOld; i < old.length; i++) tail += lineLength(old[i]);
  return text.slice(0, head) + joinLines(lines, start, endNew) + text.slice(text.length - tail);
}

function lineLength([runs]) {
  let length = 1;
  for (const [text] of runs) length += text.length;
  return length;
}

function sameAttrs(a, b) {
  if (a === b) return true;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) if (a[key] !== b[key]) return false;
  return true;
}

function sameLine(a, b) {
  if (a === b) return true;
  const [runsA, blockA] = a;
  const [runsB, blockB] = b;
  if (runsA.length !== runsB.length || !sameAttrs(blockA, blockB)) return false;
  for (let i = 0; i < runsA.length; i++) {
    if (runsA[i][0] !== runsB[i][0] || !sameAttrs(runsA[i][1], runsB[i][1])) return false;
  }
  return true;
}

/**
 * The changeset from one projection to the next, cited in `pool`: the lines that differ
 * are found first (unchanged blocks come back as the same line objects, so this is a
 * quick walk from both ends), and only they are diffed, with their attributes.
 */
function linesChangeset(before, after, pool) {
  const a = before.lines;
  const b = after.lines;
  let start = 0;
  while (start < a.length && start < b.length && sameLine(a[start], b[start])) start += 1;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && sameLine(a[endA - 1], b[endB - 1])) {
    endA -= 1;
    endB -= 1;
  }
  if (start === endA && start === endB) return null;
  if (start === endA || start === endB) {
    // whole lines added or removed: diff them with a neighbour, so that neither side is empty
    if (endA < a.length) {
      endA += 1;
      endB += 1;
    } else {
      start -= 1;
    }
  }
  let prefix = 0;
  for (let i = 0; i < start; i++) prefix += lineLength(a[i]);
  const middle = unpack(atextChangeset(
    linesToAText(a.slice(start, endA), pool), linesToAText(b.slice(start, endB), pool), pool,
  ));
  const assembler = new OpAssembler();
  if (prefix > 0) assembler.append({ opcode: '=', chars: prefix, lines: start, attribs: '' });
  for (const op of middle.ops) assembler.append(op);
  const rest = before.length - prefix - middle.oldLen;
  return pack(before.length, prefix + middle.newLen + rest, assembler.toOps(), middle.charBank);
}

// -- diffs that keep the final newline (see diffGroupsKeepingFinalNewline) -------------------

/** changesetFromTexts, keeping the final newline. */
export function textChangeset(oldText, newText) {
  return changesetFromTexts(oldText, newText, diffGroupsKeepingFinalNewline);
}

/** changesetFromATexts, keeping the final newline. */
export function atextChangeset(oldAText, newAText, pool) {
  return changesetFromATexts(oldAText, newAText, pool, diffGroupsKeepingFinalNewline);
}

/**
 * The lines of a document after `changeset`, from its lines before: the touched lines
 * are cut out as a small AText, changed, and converted back; the others are reused.
 * Throws if the change does not fit the lines (the caller then converts the whole text).
 */
export function linesAfter(lines, changeset, pool) {
  const parsed = unpack(changeset);
  const ops = parsed.ops;
  let line = 0; // newlines of the old text before the current op
  let consumed = 0; // old units before the current op
  let first = -1;
  let last = -1;
  let prefix = 0;
  let delta = 0; // newlines inserted minus newlines deleted
  for (const op of ops) {
    const change = !(op.opcode === '=' && op.attribs === '');
    if (change && first < 0) {
      first = line;
      prefix = consumed;
    }
    if (op.opcode === '+') {
      delta += op.lines;
    } else {
      line += op.lines;
      consumed += op.chars;
      if (op.opcode === '-') delta -= op.lines;
    }
    if (change) last = line;
  }
  if (first < 0) return lines; // no change at all
  last = Math.min(last, lines.length - 1);
  let lineStart = 0; // old units before line `first`
  for (let i = 0; i < first; i++) lineStart += lineLength(lines[i]);
  const region = lines.slice(first, last + 1);
  const before = linesToAText(region, pool);
  // the same ops on the region alone: the leading plain keeps (all before the first change,
  // `first` newlines in them) shrink to the part inside line `first`
  const assembler = new OpAssembler();
  let index = 0;
  while (index < ops.length && ops[index].opcode === '=' && ops[index].attribs === '') index += 1;
  if (prefix > lineStart) assembler.append({ opcode: '=', chars: prefix - lineStart, lines: 0, attribs: '' });
  for (; index < ops.length; index++) assembler.append(ops[index]);
  const change = pack(before.length, before.length + parsed.newLen - parsed.oldLen, assembler.toOps(), parsed.charBank);
  const after = atextToLines(applyToAText(change, before, pool), pool);
  if (after.length !== region.length + delta) throw new Error('lines out of step');
  return [...lines.slice(0, first), ...after, ...lines.slice(last + 1)];
}
