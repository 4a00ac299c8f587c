// The part that editors with their own editable body (TinyMCE, CKEditor 4: an iframe's
// body) share on top of the contenteditable adapter: the body is a contenteditable root,
// so reading, writing only the changed blocks, keeping the caret and mapping selections
// are the contenteditable adapter's. What this adds:
//
// - characters an editor puts into its DOM for its own caret handling, never meant as
//   content (TinyMCE's U+FEFF in a caret container, CKEditor 4's U+200B "filling
//   characters"), are left out of what is read, so they never become edits, and out of
//   the offsets that selections map to, so carets agree with what is read;
// - `write` runs inside `withoutHistory`, where a subclass keeps the editor's undo stack
//   from recording remote changes;
// - `rebind(body)` moves everything to a new body (CKEditor 4's setData makes one).

import { Document } from '../client/js/document.js';
import { ContentEditableAdapter } from './contenteditable.js';

/** What editors insert into text for their caret: zero-width no-break space and space. */
const FILLERS = /[\uFEFF\u200B]/;
const FILLERS_ALL = /[\uFEFF\u200B]/g;

export class EditorBodyAdapter extends ContentEditableAdapter {
  /**
   * @param {HTMLElement} body the editor's editable root
   * @param {object} [options] schema options (see ContentEditableAdapter)
   */
  constructor(body, options = {}) {
    super(body, options);
    /** Lines read with fillers in them -> the same lines without (same object each read). */
    this._cleaned = new WeakMap();
    this._onChange = null;
    this._onSelection = null;
    this._stopBody = null;
    this._stopSelectionBody = null;
  }

  /** The editor's content as a Document, without the editor's caret fillers. */
  read() {
    const doc = super.read();
    const lines = doc._lines;
    let cleaned = null;
    for (let index = 0; index < lines.length; index++) {
      const line = lines[index];
      const clean = this._cleanLine(line);
      if (clean !== line) {
        cleaned ??= lines.slice();
        cleaned[index] = clean;
      }
    }
    if (cleaned === null) return doc;
    const clean = new Document(cleaned, doc.schema);
    clean.residue = doc.residue;
    return clean;
  }

  reset() {
    super.reset();
    this._cleaned = new WeakMap();
  }

  _cleanLine(line) {
    let clean = this._cleaned.get(line);
    if (clean !== undefined) return clean;
    const [runs, block] = line;
    if (!runs.some(([text]) => FILLERS.test(text))) {
      clean = line;
    } else {
      const kept = [];
      for (const [text, attrs] of runs) {
        const stripped = text.replace(FILLERS_ALL, '');
        if (stripped === '') continue;
        const last = kept[kept.length - 1];
        if (last !== undefined && sameAttrs(last[1], attrs)) last[0] += stripped;
        else kept.push([stripped, attrs]);
      }
      clean = [kept, block];
    }
    this._cleaned.set(line, clean);
    return clean;
  }

  /**
   * Fillers count for nothing in offsets and lengths either (as in `read`): a caret after
   * CKEditor 4's seven U+200B is where the model has none of them.
   */
  _countedLength(text) {
    if (!FILLERS.test(text)) return text.length;
    return text.replace(FILLERS_ALL, '').length;
  }

  /** Write a remote change (see ContentEditableAdapter.write) outside the editor's undo. */
  write(html, selection = null) {
    this.withoutHistory(() => super.write(html, selection));
  }

  /** Run `action` so that the editor's own undo stack does not record it (subclasses). */
  withoutHistory(action) {
    action();
  }

  observe(changed) {
    this._onChange = changed;
    this._stopBody = super.observe(changed);
    return () => {
      this._stopBody?.();
      this._stopBody = null;
      this._onChange = null;
    };
  }

  observeSelection(changed) {
    this._onSelection = changed;
    this._stopSelectionBody = super.observeSelection(changed);
    return () => {
      this._stopSelectionBody?.();
      this._stopSelectionBody = null;
      this._onSelection = null;
    };
  }

  /**
   * The editor made a new editable body (and maybe document): follow it. Whatever it holds
   * is read against what the session last saw, so a change the editor made by replacing
   * its body arrives as an ordinary edit.
   */
  rebind(body) {
    if (body === this.element) return;
    this._stopBody?.();
    this._stopSelectionBody?.();
    this.element = body;
    this._parsed = null;
    this._lengths = new WeakMap();
    this._html = new WeakMap();
    this._dirty = true;
    if (this._onChange !== null) this._stopBody = super.observe(this._onChange);
    if (this._onSelection !== null) this._stopSelectionBody = super.observeSelection(this._onSelection);
    if (this._onChange !== null) queueMicrotask(() => this._onChange?.());
  }
}

function sameAttrs(a, b) {
  if (a === b) return true;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => a[key] === b[key]);
}
