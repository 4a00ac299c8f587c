// Adapter for a bare contenteditable element (rich text). It reads the element through
// the incremental parser, writes remote changes by replacing only the top-level blocks
// whose HTML changed (so the caret stays where the user left it in every other block),
// and observes the user's edits with a MutationObserver.
//
// Selections are mapped between the DOM and model offsets (positions in the text the
// parser reads from the element: a "\n" after each line, one U+FFFC per embed):
// - DOM -> offset is exact: the part of the caret's top-level block before the caret is
//   cloned with a marker character at the caret and parsed as the model parses, so
//   collapsed whitespace, soft breaks in list items and embeds count as they do there.
//   The blocks before it count with their cached lengths (re-parsed when they change).
// - offset -> DOM inverts that by binary search over the block's text nodes (and the
//   empty lines' elements), so it agrees with the forward mapping. Where two DOM points
//   give the same offset (the end of a text node and the start of the next), the later
//   text position is taken.
// Content outside any block (bare text at the root, which a browser makes after select-all
// and delete) is mapped by parsing from the root's start: slower, but still exact.

import { parseBlocks } from '../client/js/document.js';
import { BLOCK_ELEMENTS, LineParser } from '../client/js/document/parse.js';
import { Schema } from '../client/js/document/schema.js';
import { routeUndoKeys } from './undo-keys.js';

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
/** A private-use character marks the caret in a cloned fragment (the model never has it). */
const MARK = '\uE000';
const WHITESPACE_ONLY = /^[ \t\n\r\f]*$/;

export class ContentEditableAdapter {
  /** @param {HTMLElement} element an element with contenteditable="true" */
  constructor(element, options = {}) {
    this.element = element;
    this.kind = 'rich';
    this.options = options;
    this._parsed = null;
    this._suspended = false;
    this._observer = null;
    this._changed = null;
    this._schema = Schema.from(options);
    /** Lengths (in model units, newlines included) of top-level blocks, by element. */
    this._lengths = new WeakMap();
    /** The HTML of top-level nodes, by node (see `write`). */
    this._html = new WeakMap();
    this._dirty = true;
  }

  static accepts(target) { return target?.isContentEditable === true; }

  /** The editor's content as a Document (re-parsing only changed blocks). */
  read() {
    this._takeRecords();
    this._dirty = false;
    this._parsed = parseBlocks(this.element, this._parsed, this.options);
    return this._parsed.document;
  }

  /**
   * Make the element hold `html`, touching only the top-level blocks that differ. If the
   * element has the focus and a block holding the caret is replaced, the caret is put
   * back at `selection` (model offsets, already moved through the change).
   *
   * The blocks that differ are found on strings: `html` against the HTML of the present
   * top-level nodes (kept per node until it changes), from both ends; only the middle part
   * of `html` is parsed. So a change costs a scan of the string, not a parse of it all.
   */
  write(html, selection = null) {
    // `selection` may be a function giving it (see lazySelection): called only when needed
    const root = this.element;
    const document = root.ownerDocument;
    this._takeRecords(true); // anything pending before this write is the user's
    const present = [...root.childNodes];
    const pieces = present.map((node) => this._htmlOf(node));
    let start = 0;
    let from = 0;
    while (start < present.length && html.startsWith(pieces[start], from)) {
      from += pieces[start].length;
      start += 1;
    }
    let end = present.length;
    let to = html.length;
    while (end > start && to - pieces[end - 1].length >= from && html.endsWith(pieces[end - 1], to)) {
      to -= pieces[end - 1].length;
      end -= 1;
    }
    if (start === end && from === to) return;
    const scratch = document.createElement('div');
    scratch.innerHTML = html.slice(from, to);
    const domSelection = document.getSelection?.() ?? null;
    const holders = domSelection !== null && domSelection.rangeCount > 0
      ? [domSelection.anchorNode, domSelection.focusNode] : [];
    const replaced = present.slice(start, end);
    const focused = document.activeElement === root || root.contains(document.activeElement);
    const caretMoves = focused && holders.some((node) => node !== null
      && (node === root || replaced.some((old) => old.contains(node))));
    // read where the caret is before the blocks holding it go
    const restore = caretMoves ? (typeof selection === 'function' ? selection() : selection) : null;
    const anchor = present[end] ?? null;
    for (const node of replaced) node.remove();
    for (const node of [...scratch.childNodes]) root.insertBefore(node, anchor);
    // these records are this write's own: the parsers forget what it replaced, nothing more
    if (this._observer !== null) this._invalidate(this._observer.takeRecords());
    this._parsed?.parser.invalidate?.(root);
    if (restore !== null) this.setSelection(restore);
  }

  /** The schema the editor's content is read under. */
  get schema() { return this._schema; }

  /**
   * Read under `schema` from now on (a session's, which knows the pad's images); what
   * was read under the old one is forgotten.
   * @param {import('../client/js/document/schema.js').Schema} schema
   */
  setSchema(schema) {
    this._schema = schema;
    this.options = { ...this.options, schema };
    this.reset();
  }

  /** `write` takes the selection as a function, and calls it only when it needs it. */
  get lazySelection() { return true; }

  /**
   * Forget everything read and cached: the next `read` parses the element whole (a session
   * resyncing after a failure trusts no cache).
   */
  reset() {
    this._observer?.takeRecords();
    this._parsed = null;
    this._lengths = new WeakMap();
    this._html = new WeakMap();
    this._dirty = true;
  }

  /** Whether the element may have changed since the last `read` (false: surely not). */
  hasChanges() {
    this._takeRecords();
    return this._dirty;
  }

  /** The HTML of a top-level node as `write` compares it (cached until the node changes). */
  _htmlOf(node) {
    let html = this._html.get(node);
    if (html === undefined) {
      // anything but an element never matches rendered HTML: it is replaced
      html = node.nodeType === ELEMENT_NODE ? node.outerHTML : `\u0000${node.nodeType}`;
      this._html.set(node, html);
    }
    return html;
  }

  /** The selection as model offsets {start, end}, or null when it is not in the element. */
  getSelection() {
    const selection = this.element.ownerDocument.getSelection?.() ?? null;
    if (selection === null || selection.rangeCount === 0) return null;
    const root = this.element;
    if (!root.contains(selection.anchorNode) || !root.contains(selection.focusNode)) return null;
    const anchor = this.offsetAt(selection.anchorNode, selection.anchorOffset);
    const focus = selection.isCollapsed ? anchor : this.offsetAt(selection.focusNode, selection.focusOffset);
    return { start: Math.min(anchor, focus), end: Math.max(anchor, focus) };
  }

  /** Select model offsets start..end in the element. */
  setSelection({ start, end }) {
    const selection = this.element.ownerDocument.getSelection?.() ?? null;
    if (selection === null) return;
    const from = this.pointAt(start);
    const to = end === start ? from : this.pointAt(end);
    selection.setBaseAndExtent(from.node, from.offset, to.node, to.offset);
  }

  /** A DOM Range over model offsets start..end (for drawing other users' carets). */
  rangeAt(start, end = start) {
    const range = this.element.ownerDocument.createRange();
    const from = this.pointAt(start);
    const to = end === start ? from : this.pointAt(end);
    range.setStart(from.node, from.offset);
    range.setEnd(to.node, to.offset);
    return range;
  }

  /**
   * The model offset of the DOM point (node, offset) inside the element.
   * @returns {number}
   */
  offsetAt(node, offset) {
    this._takeRecords();
    const root = this.element;
    let top = node === root ? null : node;
    while (top !== null && top.parentNode !== root) top = top.parentNode;
    if (node !== root && top === null) return 0; // not inside
    const stop = node === root ? root.childNodes[offset] ?? null : top;
    let base = 0;
    for (let child = root.firstChild; child !== stop; child = child.nextSibling) {
      if (isBlock(child)) base += this._blockLength(child);
      else if (!isBlank(child)) return this._offsetFrom(root, node, offset, true);
    }
    if (node === root) return base;
    if (!isBlock(top)) return this._offsetFrom(root, node, offset, true);
    return base + this._offsetFrom(top, node, offset, false);
  }

  /**
   * The DOM point {node, offset} at a model offset (clamped to the document).
   * @param {number} target
   */
  pointAt(target) {
    this._takeRecords();
    const root = this.element;
    let base = 0;
    let last = null;
    for (let child = root.firstChild; child !== null; child = child.nextSibling) {
      if (isBlank(child)) continue;
      if (!isBlock(child)) {
        return this._search(root, target, (n, o) => this._offsetFrom(root, n, o, true));
      }
      const length = this._blockLength(child);
      if (length > 0) last = { child, base };
      if (target < base + length) {
        return this._search(child, target - base, (n, o) => this._offsetFrom(child, n, o, false));
      }
      base += length;
    }
    if (last === null) return { node: root, offset: 0 };
    // past the end: the end of the last line
    const { child, base: lastBase } = last;
    return this._search(child, target - lastBase, (n, o) => this._offsetFrom(child, n, o, false));
  }

  /**
   * Take pending mutation records now (so cached lengths are right during this task). They
   * are the user's edits unless the adapter is suspended (a remote change being written).
   */
  _takeRecords(userEdits = !this._suspended) {
    if (this._observer === null) return;
    const records = this._observer.takeRecords();
    if (records.length === 0) return;
    this._invalidate(records);
    if (!userEdits) return;
    this._dirty = true;
    // the observer will not see these records again: report them as its callback would
    queueMicrotask(() => this._changed?.());
  }

  _invalidate(records) {
    const root = this.element;
    this._parsed?.parser.invalidateRecords?.(records);
    for (const record of records) {
      let child = record.target;
      while (child !== null && child !== root && child.parentNode !== root) child = child.parentNode;
      if (child !== null && child !== root) {
        this._lengths.delete(child);
        this._html.delete(child);
      }
      if (record.target === root) {
        for (const added of record.addedNodes) {
          this._lengths.delete(added);
          this._html.delete(added);
        }
      }
    }
  }

  /** The model length of a top-level block: its lines' characters and newlines. */
  _blockLength(block) {
    let length = this._lengths.get(block);
    if (length === undefined) {
      const parser = new LineParser(this._schema);
      parser.walk(block);
      parser.endLine();
      length = 0;
      for (const [runs] of parser.lines) {
        for (const [text] of runs) length += this._countedLength(text);
        length += 1;
      }
      this._lengths.set(block, length);
    }
    return length;
  }

  /**
   * How many model units `text` (as the parser reads it from the element) counts for: all
   * of it here; a subclass whose `read` leaves characters out leaves them out here too, so
   * that offsets and lengths agree with what is read.
   */
  _countedLength(text) {
    return text.length;
  }

  /**
   * The offset of (node, offset) counted from the start of `scope`: a top-level block, or
   * the root itself (`whole`). Clones what lies before the point, marks the point, parses.
   */
  _offsetFrom(scope, node, offset, whole) {
    const document = this.element.ownerDocument;
    const range = document.createRange();
    if (whole) range.setStart(scope, 0);
    else range.setStartBefore(scope);
    range.setEnd(node, offset);
    const fragment = range.cloneContents();
    // the clone of `node` is at the end of the fragment, `depth` levels down
    let depth = whole ? 0 : 1;
    for (let n = node; n !== scope; n = n.parentNode) depth += 1;
    let clone = fragment;
    for (let i = 0; i < depth && clone.lastChild !== null; i++) clone = clone.lastChild;
    if (clone.nodeType === TEXT_NODE) clone.appendData(MARK);
    else if (clone.nodeType === ELEMENT_NODE || clone === fragment) clone.appendChild(document.createTextNode(MARK));
    const parser = new LineParser(this._schema);
    parser.walkChildren(fragment);
    const lines = parser.finish();
    let counted = 0;
    for (const [runs] of lines) {
      let text = '';
      for (const [piece] of runs) text += piece;
      const at = text.indexOf(MARK);
      if (at >= 0) return counted + this._countedLength(text.slice(0, at));
      counted += this._countedLength(text) + 1;
    }
    return Math.max(0, counted - 1);
  }

  /**
   * The DOM point in `scope` whose offset (by `measure`) is `target`: a binary search over
   * the text nodes and the points that stand for empty lines and embeds, in document order.
   */
  _search(scope, target, measure) {
    const candidates = [];
    const walk = (parent) => {
      for (let node = parent.firstChild; node !== null; node = node.nextSibling) {
        if (node.nodeType === TEXT_NODE) {
          if (node.data.length > 0) candidates.push({ node, text: true });
        } else if (node.nodeType === ELEMENT_NODE) {
          const tag = node.localName;
          if (tag === 'br' || tag === 'img' || tag === 'hr') {
            candidates.push({ node: parent, offset: indexOf(node) + 1 });
          } else {
            if (BLOCK_ELEMENTS.has(tag)) candidates.push({ node, offset: 0 });
            walk(node);
          }
        }
      }
    };
    candidates.push({ node: scope, offset: 0 });
    walk(scope);
    const measured = new Map();
    const offsetOf = (index) => {
      let value = measured.get(index);
      if (value === undefined) {
        const candidate = candidates[index];
        value = measure(candidate.node, candidate.text ? 0 : candidate.offset);
        measured.set(index, value);
      }
      return value;
    };
    // the last candidate at or before the target
    let low = 0;
    let high = candidates.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (offsetOf(middle) <= target) low = middle;
      else high = middle - 1;
    }
    const found = candidates[low];
    if (!found.text) return { node: found.node, offset: found.offset };
    const node = found.node;
    const first = offsetOf(low);
    const length = node.data.length;
    const end = measure(node, length);
    if (target >= end) return { node, offset: length };
    if (end - first === length) return { node, offset: Math.max(0, target - first) };
    // collapsed whitespace: search inside the text node
    let lo = 0;
    let hi = length;
    while (lo < hi) {
      const middle = (lo + hi + 1) >> 1;
      if (measure(node, middle) <= target) lo = middle;
      else hi = middle - 1;
    }
    return { node, offset: lo };
  }

  observe(changed) {
    const { MutationObserver } = this.element.ownerDocument.defaultView;
    this._changed = changed;
    const observer = new MutationObserver((records) => {
      this._invalidate(records);
      if (this._suspended) return;
      this._dirty = true;
      changed();
    });
    observer.observe(this.element, { childList: true, subtree: true, characterData: true, attributes: true });
    this._observer = observer;
    return () => {
      observer.disconnect();
      if (this._observer === observer) this._observer = null;
    };
  }

  /** Call `changed` when the user may have moved the caret or the selection in the element. */
  observeSelection(changed) {
    const document = this.element.ownerDocument;
    const onChange = () => {
      const selection = document.getSelection?.() ?? null;
      if (selection !== null && selection.rangeCount > 0 && this.element.contains(selection.anchorNode)) changed();
    };
    document.addEventListener('selectionchange', onChange);
    return () => document.removeEventListener('selectionchange', onChange);
  }

  /**
   * Offer each paste into the element to `take(html)` (its text/html) before the editor
   * or the browser handles it; when `take` returns true (it has put the content into the
   * pad and the element itself) their paste is cancelled. Returns a function that stops.
   */
  observePaste(take) {
    const root = this.element;
    const onPaste = (event) => {
      const html = event.clipboardData?.getData('text/html') ?? '';
      if (html === '' || !take(html)) return;
      event.preventDefault();
      // nor may an editor's own paste handler (TinyMCE's, WYMeditor's) insert it again
      event.stopImmediatePropagation();
    };
    // capture: before the handlers an editor puts on its body or below
    root.addEventListener('paste', onPaste, true);
    return () => root.removeEventListener('paste', onPaste, true);
  }

  suspend(action) {
    this._suspended = true;
    try { action(); } finally { this._suspended = false; }
  }

  bindUndo(undo, redo) {
    routeUndoKeys(this.element, undo, redo);
  }
}

function isBlock(node) {
  return node.nodeType === ELEMENT_NODE && BLOCK_ELEMENTS.has(node.localName.toLowerCase());
}

/** Nodes the parser reads as nothing between blocks: comments, whitespace-only text. */
function isBlank(node) {
  if (node.nodeType === TEXT_NODE) return WHITESPACE_ONLY.test(node.data);
  return node.nodeType !== ELEMENT_NODE;
}

function indexOf(node) {
  let index = 0;
  for (let n = node.previousSibling; n !== null; n = n.previousSibling) index += 1;
  return index;
}
