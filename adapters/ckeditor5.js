// Adapter for CKEditor 5. The editor renders its editable DOM from its own model, so this
// adapter never touches that DOM: it reads and writes the model, block by block.
//
// - read: each top-level model element (a paragraph, a heading, a list item, a table, a
//   block quote) is turned into lines once, by its own data output (`data.stringify`)
//   parsed as the model parses HTML, and kept until a change touches it (the differ says
//   which). A keystroke costs one block, not the document.
// - write: the HTML to show is cut into its top-level elements (it is the client's own
//   rendering, escaped, so a tag scan is enough) and compared with what each group of
//   top-level model elements shows: the HTML it was written from or, where the user changed
//   it since, its lines rendered as the client renders them. Only the groups that differ
//   change (in place where they keep their structure, else replaced), in a change that
//   CKEditor's undo does not record. When the blocks stay and only text or inline formatting
//   changes (a remote keystroke), the changed middle of each block is removed and inserted
//   as model text, without CKEditor's data pipeline, and the lines read from the block are
//   moved along instead of read again; wherever that could differ from parsing the HTML and
//   reading it back (white space CKEditor rewrites, markup not seen in the block), the
//   change goes the full way.
// - offsets: a model offset counts the text of the leaf blocks (those holding no blocks) in
//   order, with one newline after each and one character per inline element or embed, as
//   the client's model counts lines. They count the text as it is read (what `read`
//   gives), which is not always CKEditor's own: a pre shown as a paragraph holds
//   "PRE  LINE\n  INDENTED\n" in CKEditor's model, and reads as "PRE \u00a0LINE
//   \u00a0INDENTED". Such a leaf's own offsets go through a ProjectionMap to the read
//   text's, so selections agree with what the session reads.

import { Document, Schema } from '../client/js/document.js';
import { ProjectionMap } from '../client/js/projection-map.js';

/** Elements without an end tag in the client's rendering. */
const VOID_ELEMENTS = new Set(['br', 'img', 'hr', 'wbr']);
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>/g;

export class CKEditor5Adapter {
  /**
   * @param {object} editor a CKEditor 5 editor (ClassicEditor.create's result)
   * @param {object} [options] the document model's schema options (see Schema)
   */
  constructor(editor, options = {}) {
    this.editor = editor;
    this.kind = 'rich';
    this.options = options;
    this._schema = Schema.from(options);
    this.element = editor.editing.view.getDomRoot();
    this._suspended = false;
    this._writing = false;
    this._dirty = true;
    this._changed = null;
    this._selected = false;
    /** The lines of a top-level model element, until a change touches it. */
    this._lines = new WeakMap();
    /** By the lines of a top-level element: per leaf, its offsets' map to the read text. */
    this._leafMaps = new WeakMap();
    /** Top-level elements whose data held what the model drops (Document.residue). */
    this._residue = new WeakSet();
    /** The HTML a top-level element was written from: {html, count} shared by its group. */
    this._sources = new WeakMap();
    this._document = null;
    editor.model.document.on('change:data', () => this._modelChanged());
  }

  /** A CKEditor 5 editor (what `ClassicEditor.create` and its kin resolve with). */
  static accepts(target) {
    return typeof target?.model?.document?.getRoot === 'function'
      && typeof target?.editing?.view?.getDomRoot === 'function';
  }

  /** The model's root element (the document's top-level blocks are its children). */
  get root() { return this.editor.model.document.getRoot(); }

  /** The model changed: forget what it touched; report it unless it is this adapter's write. */
  _modelChanged() {
    const root = this.root;
    const own = this._writing || this._suspended;
    for (const change of this.editor.model.document.differ.getChanges()) {
      const position = change.position ?? change.range?.start;
      if (position === undefined || position.root !== root || position.path.length === 0) continue;
      const top = root.getChild(position.path[0]);
      if (top === null) continue;
      this._lines.delete(top);
      if (!own) this._sources.delete(top);
      // a change at the top level (a block inserted, split off or removed) touches its neighbours' grouping
      if (position.path.length === 1 && !own) {
        const before = root.getChild(position.path[0] - 1);
        if (before) this._sources.delete(before);
      }
    }
    this._document = null;
    if (own) return;
    this._dirty = true;
    this._changed?.();
  }

  /** The editor's content as a Document (re-reading only the blocks that changed). */
  read() {
    this._dirty = false;
    if (this._document !== null) return this._document;
    const lines = [];
    let residue = false;
    for (const top of this.root.getChildren()) {
      for (const line of this._linesOf(top)) lines.push(line);
      residue ||= this._residue.has(top);
    }
    this._document = new Document(lines, this._schema);
    this._document.residue = residue;
    return this._document;
  }

  hasChanges() { return this._dirty; }

  /** Forget every block read and written: the next `read` reads them all (a resync). */
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

  reset() {
    this._lines = new WeakMap();
    this._sources = new WeakMap();
    this._leafMaps = new WeakMap();
    this._residue = new WeakSet();
    this._document = null;
    this._dirty = true;
  }

  /** The lines of one top-level model element (cached). */
  _linesOf(top) {
    let lines = this._lines.get(top);
    if (lines === undefined) {
      // stringify writes an element's content: a fragment holding a copy writes the element
      const model = this.editor.model;
      const html = this.editor.data.stringify(model.getSelectedContent(model.createSelection(model.createRangeOn(top))));
      const doc = Document.fromHTML(html, this.options);
      lines = doc.toLines();
      // CKEditor keeps a javascript: link in its model: such a block is written again
      if (doc.residue) this._residue.add(top);
      else this._residue.delete(top);
      // a list item alone is written at the top of its list: give it back its depth
      const depth = top.getAttribute('listIndent');
      if (depth > 0) lines = lines.map(([runs, block]) => [runs, { ...block, indent: String(depth + 1) }]);
      // CKEditor writes an empty block as "&nbsp;": the model holds an empty line
      const leaves = leavesOf(this.editor.model.schema, top);
      if (leaves.length === lines.length) {
        lines.forEach((line, index) => {
          const [runs, block] = line;
          if (leaves[index].isEmpty && runs.length === 1 && runs[0][0] === '\u00a0') lines[index] = [[], block];
        });
      }
      this._lines.set(top, lines);
    }
    return lines;
  }

  /**
   * Make the editor show `html` (the client's rendering of the model), replacing only the
   * top-level elements whose HTML differs. If a replaced block held the selection, it is
   * put back at `selection` (model offsets, already moved through the change; a function
   * giving them, called only then).
   */
  write(html, selection = null) {
    // the groups that still show what `html` holds are found on the string, from both
    // ends (a group's HTML is whole top-level elements); only the middle is cut apart
    const groups = this._groups();
    let start = 0;
    let head = 0;
    while (start < groups.length && groups[start].html !== null && html.startsWith(groups[start].html, head)) {
      head += groups[start].html.length;
      start += 1;
    }
    let endGroups = groups.length;
    let tail = html.length;
    while (endGroups > start) {
      const shown = groups[endGroups - 1].html;
      if (shown === null || tail - shown.length < head || !html.endsWith(shown, tail)) break;
      tail -= shown.length;
      endGroups -= 1;
    }
    const pieces = splitTopLevel(html.slice(head, tail));
    if (start === endGroups && pieces.length === 0) return;
    // one group whose blocks stay, with other text or inline formatting: changed in place
    if (endGroups - start === 1 && pieces.length === 1 && groups[start].html !== null
      && this._writeInline(groups[start], pieces[0], selection)) return;
    const model = this.editor.model;
    const root = this.root;
    const from = start < groups.length ? groups[start].start : root.childCount;
    const to = endGroups > start ? groups[endGroups - 1].end : from;
    const held = model.document.selection.getFirstPosition();
    const caretMoves = held !== null && held.root === root && held.path.length > 0
      && held.path[0] >= from && (held.path[0] < to || (held.path.length === 1 && held.path[0] === to && to > from));
    const restore = caretMoves ? (typeof selection === 'function' ? selection() : selection) : null;
    this._writing = true;
    try {
      model.enqueueChange({ isUndoable: false }, (writer) => {
        const fragments = pieces.map((piece) => {
          const fragment = this.editor.data.parse(piece);
          return { piece, fragment, elements: [...fragment.getChildren()] };
        });
        const present = [];
        for (let index = from; index < to; index++) present.push(root.getChild(index));
        const incoming = fragments.flatMap(({ elements }) => elements);
        if (present.length === incoming.length && present.every((old, i) => sameShape(old, incoming[i]))) {
          // the same blocks with other content: change them in place, so CKEditor redraws
          // only the text that changed (replacing a block redraws much more)
          present.forEach((old, i) => updateInPlace(writer, old, incoming[i]));
          let index = 0;
          for (const { piece, elements } of fragments) {
            const source = { html: piece, count: elements.length };
            for (let i = 0; i < elements.length; i++) this._sources.set(present[index++], source);
          }
        } else {
          if (to > from) writer.remove(writer.createRange(writer.createPositionAt(root, from), writer.createPositionAt(root, to)));
          let at = from;
          for (const { piece, fragment, elements } of fragments) {
            const source = { html: piece, count: elements.length };
            writer.insert(fragment, writer.createPositionAt(root, at));
            for (const element of elements) {
              if (element.parent === root) this._sources.set(element, source);
            }
            at += elements.length;
          }
        }
      });
      // once the blocks are read again (their offsets may differ from CKEditor's own)
      if (restore !== null) this._select(restore);
    } finally {
      this._writing = false;
    }
  }

  /** Select read-text offsets {start, end}, as a change of its own outside CKEditor's undo. */
  _select(restore) {
    this.editor.model.enqueueChange({ isUndoable: false }, (writer) => {
      writer.setSelection(this._rangeOf(restore.start, restore.end));
    });
  }

  /**
   * The fast path of `write`: when `html` keeps the group's blocks as they are and changes
   * only text and inline formatting in them, each changed block gets that change in place
   * (its differing middle removed and inserted, one operation per run) without CKEditor's
   * data pipeline, and the lines read from it are moved along (no reading back). Inserted
   * text takes the model attributes that the same inline markup stands for in that block.
   * Returns false, having changed nothing, wherever it cannot be sure to give the model
   * (and the lines) that parsing `html` (and reading it back) would give.
   */
  _writeInline(group, html, selection) {
    const before = inlineLinesOf(group.html);
    const after = before === null ? null : inlineLinesOf(html);
    if (after === null || before.skeleton !== after.skeleton || before.lines.length !== after.lines.length) return false;
    const model = this.editor.model;
    const schema = model.schema;
    const root = this.root;
    const leaves = [];
    const tops = [];
    for (let index = group.start; index < group.end; index++) {
      const top = root.getChild(index);
      for (const leaf of leavesOf(schema, top)) {
        leaves.push(leaf);
        tops.push(top);
      }
    }
    if (leaves.length !== before.lines.length) return false;
    const edits = [];
    for (let i = 0; i < leaves.length; i++) {
      if (before.lines[i].html === after.lines[i].html) continue;
      const edit = inlineEdit(schema, leaves[i], before.lines[i], after.lines[i]);
      if (edit === null) return false;
      edits.push(edit);
    }
    if (edits.length === 0) return false;
    // the lines of the changed blocks' top-level elements, as reading them would give
    const readers = new Map();
    for (const edit of edits) {
      const top = tops[leaves.indexOf(edit.leaf)];
      if (!readers.has(top)) readers.set(top, linesReader(schema, top, this._lines.get(top)));
    }
    // the selection, if it is in a changed block (CKEditor moves the others itself)
    const held = model.document.selection.getFirstRange();
    const touched = held !== null && edits.some(({ leaf }) => held.start.parent === leaf || held.end.parent === leaf);
    const restore = touched ? (typeof selection === 'function' ? selection() : selection) : null;
    // a block whose offsets differ from its read text's is read again before the caret goes back
    const later = restore !== null && [...readers.keys()].some((top) => this._leafMapsOf(top).some((map) => map !== null));
    this._writing = true;
    try {
      model.enqueueChange({ isUndoable: false }, (writer) => {
        for (const { leaf, start, end, runs } of edits) {
          if (end > start) writer.remove(writer.createRange(writer.createPositionAt(leaf, start), writer.createPositionAt(leaf, end)));
          let at = start;
          for (const [text, attributes] of runs) {
            writer.insertText(text, attributes, writer.createPositionAt(leaf, at));
            at += text.length;
          }
        }
        if (restore !== null && !later) writer.setSelection(this._rangeOf(restore.start, restore.end));
      });
    } finally {
      this._writing = false;
    }
    const source = { html, count: group.end - group.start };
    for (let index = group.start; index < group.end; index++) this._sources.set(root.getChild(index), source);
    for (const [top, reader] of readers) {
      const lines = reader === null || top.parent !== root ? null : reader();
      if (lines !== null) this._lines.set(top, lines);
    }
    if (later) {
      this._writing = true;
      try {
        this._select(restore);
      } finally {
        this._writing = false;
      }
    }
    return true;
  }

  /** `write` takes the selection as a function, and calls it only when it needs it. */
  get lazySelection() { return true; }

  /**
   * The top-level elements in groups, each with the HTML it shows as the client renders it
   * (null: unknown, so never equal to a piece): the elements one piece of HTML was written
   * as, while all of them are still there unchanged; else a list (its consecutive items)
   * or one other element, by its lines rendered as the client renders them.
   */
  _groups() {
    const groups = [];
    const children = [...this.root.getChildren()];
    let index = 0;
    while (index < children.length) {
      const element = children[index];
      const source = this._sources.get(element);
      let end = index + 1;
      if (source !== undefined) {
        while (end < children.length && this._sources.get(children[end]) === source) end += 1;
        if (end - index === source.count) {
          groups.push({ start: index, end, html: source.html });
          index = end;
          continue;
        }
      }
      end = index + 1;
      if (element.hasAttribute('listItemId')) {
        // the client renders a list as one element: its items, up to another list's start
        const type = element.getAttribute('listType');
        while (end < children.length && children[end].hasAttribute('listItemId')
          && !(children[end].getAttribute('listIndent') === 0 && children[end].getAttribute('listType') !== type)) end += 1;
      }
      const lines = [];
      let residue = false;
      for (let i = index; i < end; i++) {
        lines.push(...this._linesOf(children[i]));
        residue ||= this._residue.has(children[i]);
      }
      // a group holding what the model drops never matches: it is written again
      const shows = lines.length > 0 && !residue;
      groups.push({ start: index, end, html: shows ? new Document(lines, this._schema).toHTML() : null });
      index = end;
    }
    return groups;
  }

  // -- selections ----------------------------------------------------------------------------

  /**
   * The selection as model offsets {start, end}; null until the user first puts it in the
   * editor (CKEditor keeps one at the document's start from the beginning).
   */
  getSelection() {
    if (!this._selected) {
      if (!this.editor.ui?.focusTracker?.isFocused) return null;
      this._selected = true;
    }
    const selection = this.editor.model.document.selection;
    const range = selection.getFirstRange();
    if (range === null || range.root !== this.root) return null;
    const start = this.offsetOf(range.start);
    return { start, end: range.isCollapsed ? start : this.offsetOf(range.end) };
  }

  /** Select model offsets start..end. */
  setSelection({ start, end }) {
    this.editor.model.change((writer) => writer.setSelection(this._rangeOf(start, end)));
  }

  /** A DOM Range over model offsets start..end (for drawing other users' carets). */
  rangeAt(start, end = start) {
    const { editing } = this.editor;
    const viewRange = editing.mapper.toViewRange(this._rangeOf(start, end));
    return editing.view.domConverter.viewRangeToDom(viewRange);
  }

  /** Call `changed` when the user may have moved the caret or the selection. */
  observeSelection(changed) {
    const selection = this.editor.model.document.selection;
    const onChange = () => { if (!this._writing) changed(); };
    selection.on('change:range', onChange);
    const focus = this.editor.ui?.focusTracker;
    focus?.on('change:isFocused', onChange);
    return () => {
      selection.off('change:range', onChange);
      focus?.off('change:isFocused', onChange);
    };
  }

  /**
   * Per leaf block of the top-level element `top`: how its own offsets line up with the
   * text read from it (a ProjectionMap from the read text to CKEditor's), or null where
   * they are the same. Kept with the lines read.
   */
  _leafMapsOf(top) {
    const lines = this._linesOf(top);
    let maps = this._leafMaps.get(lines);
    if (maps === undefined) {
      const schema = this.editor.model.schema;
      const leaves = leavesOf(schema, top);
      maps = leaves.map((leaf, index) => {
        if (leaves.length !== lines.length || schema.isObject(leaf)) return null;
        let read = '';
        for (const [text] of lines[index][0]) read += text;
        let own = '';
        for (const [character] of modelUnitsOf(leaf)) own += character;
        return read === own ? null : ProjectionMap.between(`${read}\n`, `${own}\n`);
      });
      this._leafMaps.set(lines, maps);
    }
    return maps;
  }

  /** Each leaf block of `top` with its map (see _leafMapsOf) and its length in read units. */
  _leavesOf(top) {
    const schema = this.editor.model.schema;
    const maps = this._leafMapsOf(top);
    return leavesOf(schema, top).map((leaf, index) => {
      const map = maps[index] ?? null;
      return { leaf, map, length: map === null ? leafLength(schema, leaf) : map.shownLength - 1 };
    });
  }

  /** The client's offset (in the text read) of a CKEditor model position. */
  offsetOf(position) {
    const root = this.root;
    let offset = 0;
    let index = 0;
    for (const top of root.getChildren()) {
      if (index === position.path[0]) break;
      for (const { length } of this._leavesOf(top)) offset += length + 1;
      index += 1;
    }
    if (position.path.length <= 1) return offset;
    const top = root.getChild(position.path[0]);
    for (const { leaf, map, length } of this._leavesOf(top)) {
      const inside = leaf.getPath();
      const path = position.path;
      let own = null; // the position's offset in this leaf, CKEditor's count
      if (leaf === position.parent) own = position.offset;
      // a point before this leaf (between blocks in a table cell, a quote) is its start
      else if (comparePaths(path, inside) <= 0) return offset;
      else if (path.length > inside.length && inside.every((step, i) => step === path[i])) own = path[inside.length];
      if (own !== null) return offset + Math.min(map === null ? own : map.toShown(own), length);
      offset += length + 1;
    }
    return Math.max(0, offset - 1);
  }

  /** The CKEditor model position at a client offset (in the text read; clamped to the document). */
  positionAt(target) {
    const model = this.editor.model;
    const schema = model.schema;
    let offset = 0;
    let last = null;
    for (const top of this.root.getChildren()) {
      for (const { leaf, map, length } of this._leavesOf(top)) {
        last = leaf;
        if (target <= offset + length) {
          const at = target - offset;
          return pointIn(model, schema, leaf, map === null ? at : map.toModel(at));
        }
        offset += length + 1;
      }
    }
    if (last === null) return model.createPositionAt(this.root, 0);
    return pointIn(model, schema, last, leafLength(schema, last));
  }

  _rangeOf(start, end) {
    const model = this.editor.model;
    const from = this.positionAt(start);
    return model.createRange(from, end === start ? from : this.positionAt(end));
  }

  // -- observing, undo -----------------------------------------------------------------------

  /** Call `changed` after each change the user makes (typing, commands, paste). */
  observe(changed) {
    this._changed = changed;
    return () => { if (this._changed === changed) this._changed = null; };
  }

  suspend(action) {
    const was = this._suspended;
    this._suspended = true;
    try { action(); } finally { this._suspended = was; }
  }

  /** Route CKEditor's undo and redo (toolbar buttons, keys) to the session's history. */
  bindUndo(undo, redo) {
    for (const [name, action] of [['undo', undo], ['redo', redo]]) {
      const command = this.editor.commands.get(name);
      if (command === undefined) continue;
      command.on('execute', (event) => {
        event.stop();
        action();
      }, { priority: 'highest' });
      // CKEditor's stacks say nothing about the session's history: the buttons stay on
      command.refresh = () => { command.isEnabled = true; };
      command.refresh();
    }
  }
}

/** Whether two model elements have one name, the same attributes (but list item ids)
 * and, all the way down, the same element structure but for inline content. */
function sameShape(a, b) {
  if (!a.is('element') || !b.is('element') || a.name !== b.name) return false;
  const attributes = [...a.getAttributeKeys()].filter((key) => key !== 'listItemId');
  if (attributes.length !== [...b.getAttributeKeys()].filter((key) => key !== 'listItemId').length) return false;
  for (const key of attributes) if (a.getAttribute(key) !== b.getAttribute(key)) return false;
  const blocksA = blockChildren(a);
  const blocksB = blockChildren(b);
  if (blocksA === null || blocksB === null) return blocksA === blocksB;
  return blocksA.length === blocksB.length && blocksA.every((child, i) => sameShape(child, blocksB[i]));
}

/** The element children of an element holding elements only, or null if it holds text or inline content. */
function blockChildren(element) {
  const children = [...element.getChildren()];
  if (children.length === 0 || children.some((child) => !child.is('element') || child.is('$text'))) return null;
  return children;
}

/** Give `old` the inline content of `incoming` (of the same shape), where it differs. */
function updateInPlace(writer, old, incoming) {
  const blocks = blockChildren(old);
  if (blocks !== null) {
    const others = blockChildren(incoming);
    blocks.forEach((child, i) => updateInPlace(writer, child, others[i]));
    return;
  }
  // only the part between what both have at the start and at the end changes
  const before = unitsOf(old);
  const after = unitsOf(incoming);
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start += 1;
  let end = 0;
  while (end < before.length - start && end < after.length - start
    && before[before.length - 1 - end] === after[after.length - 1 - end]) end += 1;
  if (start === before.length && start === after.length) return;
  if (before.length - end > start) {
    writer.remove(writer.createRange(writer.createPositionAt(old, start), writer.createPositionAt(old, before.length - end)));
  }
  const added = writer.createRange(writer.createPositionAt(incoming, start), writer.createPositionAt(incoming, after.length - end));
  let at = start;
  for (const item of [...added.getItems()]) {
    if (item.is('$textProxy')) {
      writer.insertText(item.data, Object.fromEntries(item.getAttributes()), old, at);
      at += item.data.length;
    } else {
      writer.insert(writer.cloneElement(item), old, at);
      at += 1;
    }
  }
}

/** One string per offset of a leaf block: its character or inline element, with attributes. */
function unitsOf(leaf) {
  const units = [];
  for (const child of leaf.getChildren()) {
    const attributes = JSON.stringify([...child.getAttributes()]);
    if (child.is('$text')) {
      for (const character of child.data) units.push(`${character}\u0000${attributes}`);
    } else {
      units.push(`\u0001${child.name}\u0000${attributes}\u0000${child.childCount}`);
    }
  }
  return units;
}

// -- inline changes (the fast path of `write`) -------------------------------------------------

/** Blocks and their containers in the client's rendering: they make the lines. */
const BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'li', 'ul', 'ol', 'table',
  'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'blockquote', 'div', 'figure', 'figcaption']);
const TOKEN = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>|&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);|[^<&]+|[<&]/g;
const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', nbsp: '\u00a0', apos: "'" };
/**
 * Text CKEditor's data pipeline keeps as it is, whatever the inline markup around it: no
 * white space but single spaces between other characters (it collapses and trims the rest,
 * by rules that look across inline elements), no line break or tab, no &nbsp;.
 */
const UNSETTLED_SPACE = /^ | $|[ \uFFFC] |  | \uFFFC|[\t\n\r\f\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\u2060]/;

/**
 * The client's rendering of some blocks, cut into lines: {skeleton, lines}, `skeleton` the
 * block tags in order, each line {html, units} with `html` its inline markup and `units`
 * one per character: [character, the inline tags around it] (an embed: [U+FFFC, the inline
 * tags and its own, its name]). A line's last <br> is the one the renderer adds for the
 * browser, not an embed.
 * Null for markup this cannot follow (an unknown entity, a stray < or &, a rule).
 */
export function inlineLinesOf(html) {
  const skeleton = [];
  const lines = [];
  const stack = []; // the inline tags open, as written
  const names = []; // and their names
  let line = null;
  let lineStart = 0;
  const endLine = (at) => {
    if (line.units.length > 0 && line.units[line.units.length - 1][2] === 'br') line.units.pop();
    line.html = html.slice(lineStart, at);
    lines.push(line);
    line = null;
  };
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(html); match !== null; match = TOKEN.exec(html)) {
    const token = match[0];
    if (match[2] !== undefined) {
      const name = match[2].toLowerCase();
      if (BLOCKS.has(name)) {
        skeleton.push(token);
        if (line !== null && (match[1] === '/' || line.units.length > 0)) endLine(match.index);
        if (match[1] !== '/') {
          line = { html: '', units: [] };
          lineStart = TOKEN.lastIndex;
        }
        stack.length = 0;
        names.length = 0;
      } else if (name === 'br' || name === 'img') {
        if (line === null) return null;
        line.units.push(['\uFFFC', stack.join('') + token, name]);
      } else if (name === 'hr' || VOID_ELEMENTS.has(name)) {
        return null;
      } else if (match[1] === '/') {
        if (names.pop() !== name) return null;
        stack.pop();
      } else {
        names.push(name);
        stack.push(token);
      }
      continue;
    }
    let text = token;
    if (match[3] !== undefined) {
      text = decodeEntity(match[3]);
      if (text === null) return null;
    } else if (token === '<' || token === '&') {
      return null;
    }
    if (line === null) return null;
    const marks = stack.join('');
    for (const character of text) {
      // a character outside the Basic Multilingual Plane is two units, as in the model
      for (let k = 0; k < character.length; k++) line.units.push([character[k], marks]);
    }
  }
  if (line !== null) endLine(html.length);
  return { skeleton: skeleton.join(''), lines };
}

function decodeEntity(name) {
  if (name[0] !== '#') return ENTITIES[name] ?? null;
  const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : null;
}

/** A model item's attributes as a string, the same for the same attributes in any order. */
function attributesKey(item) {
  return JSON.stringify([...item.getAttributes()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The model nodes of a leaf block, one entry per offset: [character, attributes key, node]
 * (an inline element: U+FFFC).
 */
function modelUnitsOf(leaf) {
  const units = [];
  for (const child of leaf.getChildren()) {
    const key = attributesKey(child);
    if (child.is('$text')) {
      for (let k = 0; k < child.data.length; k++) units.push([child.data[k], key, child]);
    } else {
      units.push(['\uFFFC', key, child]);
    }
  }
  return units;
}

/**
 * How to turn the leaf block `leaf`, which shows line `before`, into line `after`:
 * {leaf, start, end, runs}: remove model offsets start..end, insert `runs` ([text,
 * attributes]) there. Null unless the leaf's text is the line's, neither line has white
 * space CKEditor would change, every inline markup of the line maps to one set of model
 * attributes in this leaf (no markup: none), and only text is inserted.
 */
function inlineEdit(schema, leaf, before, after) {
  if (schema.isObject(leaf)) return null;
  const old = modelUnitsOf(leaf);
  if (old.length !== before.units.length) return null;
  let textBefore = '';
  let textAfter = '';
  for (const [character] of before.units) textBefore += character;
  for (const [character] of after.units) textAfter += character;
  if (UNSETTLED_SPACE.test(textBefore) || UNSETTLED_SPACE.test(textAfter)) return null;
  // the model attributes each inline markup stands for, in this leaf
  const meaning = new Map([['', {}]]);
  const conflicting = new Set();
  for (let i = 0; i < old.length; i++) {
    const [character, key, node] = old[i];
    const [shown, marks] = before.units[i];
    if (character !== shown) return null;
    if (!node.is('$text')) continue;
    const known = meaning.get(marks);
    if (known === undefined) meaning.set(marks, { key, attributes: Object.fromEntries(node.getAttributes()) });
    else if ((known.key ?? '[]') !== key) conflicting.add(marks);
  }
  // the middle that differs, markup and all
  const units = after.units;
  let start = 0;
  while (start < old.length && start < units.length
    && before.units[start][0] === units[start][0] && before.units[start][1] === units[start][1]) start += 1;
  let tail = 0;
  while (tail < old.length - start && tail < units.length - start
    && before.units[old.length - 1 - tail][0] === units[units.length - 1 - tail][0]
    && before.units[old.length - 1 - tail][1] === units[units.length - 1 - tail][1]) tail += 1;
  // never between the halves of a surrogate pair
  if (start > 0 && isHighSurrogate(units[start - 1][0].charCodeAt(0))) start -= 1;
  if (tail > 0 && isLowSurrogate(units[units.length - tail][0].charCodeAt(0))) tail -= 1;
  const runs = [];
  for (let i = start; i < units.length - tail; i++) {
    const [character, marks, embed] = units[i];
    if (embed !== undefined || conflicting.has(marks)) return null;
    const known = meaning.get(marks);
    if (known === undefined) return null;
    const attributes = known.attributes ?? known;
    if (runs.length > 0 && runs[runs.length - 1][2] === marks) runs[runs.length - 1][0] += character;
    else runs.push([character, attributes, marks]);
  }
  return { leaf, start, end: old.length - tail, runs: runs.map(([text, attributes]) => [text, attributes]) };
}

function isHighSurrogate(code) { return code >= 0xd800 && code <= 0xdbff; }

function isLowSurrogate(code) { return code >= 0xdc00 && code <= 0xdfff; }

/**
 * A function giving the lines of top-level element `top` after a change of its text and
 * inline attributes (to call after it), from `lines`, read from it before: the client's
 * attributes each set of model attributes was read as, in the same leaf. Null (read it
 * again) unless each line held exactly its leaf's model text, with no white space CKEditor
 * writes otherwise. Unchanged lines and runs stay the same objects (the session compares
 * lines by identity).
 */
function linesReader(schema, top, lines) {
  if (lines === undefined) return null;
  const leaves = leavesOf(schema, top);
  if (lines.length !== leaves.length) return null;
  const texts = [];
  const readAs = [];
  for (let i = 0; i < leaves.length; i++) {
    const leaf = leaves[i];
    if (schema.isObject(leaf)) return null;
    const [runs] = lines[i];
    const units = modelUnitsOf(leaf);
    let text = '';
    for (const [part] of runs) text += part;
    if (text.length !== units.length || UNSETTLED_SPACE.test(text)) return null;
    const meaning = new Map();
    let offset = 0;
    for (const [part, attrs] of runs) {
      for (let k = 0; k < part.length; k++) {
        const [character, key] = units[offset + k];
        if (character !== part[k]) return null;
        const known = meaning.get(key);
        if (known === undefined) meaning.set(key, attrs);
        else if (known !== attrs && !sameAttributes(known, attrs)) return null;
      }
      offset += part.length;
    }
    texts.push(text);
    readAs.push(meaning);
  }
  return () => {
    const after = leavesOf(schema, top);
    if (after.length !== leaves.length || after.some((leaf, i) => leaf !== leaves[i])) return null;
    const moved = lines.slice();
    for (let i = 0; i < leaves.length; i++) {
      const units = modelUnitsOf(leaves[i]);
      let text = '';
      for (const [character] of units) text += character;
      if (text === texts[i]) continue;
      if (UNSETTLED_SPACE.test(text)) return null;
      const runs = [];
      for (const [character, key, node] of units) {
        let attrs = readAs[i].get(key);
        if (attrs === undefined) {
          if (key !== '[]' || !node.is('$text')) return null;
          attrs = {};
        }
        const last = runs[runs.length - 1];
        if (last !== undefined && (last[1] === attrs || sameAttributes(last[1], attrs))) last[0] += character;
        else runs.push([character, attrs]);
      }
      moved[i] = [runs, lines[i][1]];
    }
    return moved;
  };
}

function sameAttributes(a, b) {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) if (a[key] !== b[key]) return false;
  return true;
}

/** The blocks of a top-level element that hold text (its lines), in order. */
function leavesOf(schema, element) {
  if (!element.is('element')) return [];
  const blocks = [];
  for (const child of element.getChildren()) {
    if (child.is('element') && !schema.isInline(child)) blocks.push(child);
  }
  if (blocks.length === 0) return [element];
  return blocks.flatMap((block) => leavesOf(schema, block));
}

/** The characters of a leaf block (an object such as an image: one embed). */
function leafLength(schema, leaf) {
  return schema.isObject(leaf) ? 1 : leaf.maxOffset;
}

function pointIn(model, schema, leaf, offset) {
  if (schema.isObject(leaf)) {
    return offset > 0 ? model.createPositionAfter(leaf) : model.createPositionBefore(leaf);
  }
  return model.createPositionAt(leaf, Math.max(0, Math.min(offset, leaf.maxOffset)));
}

function comparePaths(a, b) {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** The top-level elements of the client's rendering, as strings. */
export function splitTopLevel(html) {
  const pieces = [];
  let depth = 0;
  let start = 0;
  TAG.lastIndex = 0;
  for (let match = TAG.exec(html); match !== null; match = TAG.exec(html)) {
    const closing = match[1] === '/';
    const name = match[2].toLowerCase();
    if (closing) {
      depth -= 1;
      if (depth === 0) {
        pieces.push(html.slice(start, TAG.lastIndex));
        start = TAG.lastIndex;
      }
    } else if (!VOID_ELEMENTS.has(name) && !match[0].endsWith('/>')) {
      if (depth === 0) start = match.index;
      depth += 1;
    } else if (depth === 0) {
      pieces.push(match[0]);
      start = TAG.lastIndex;
    }
  }
  return pieces;
}
