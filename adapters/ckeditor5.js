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
//   CKEditor's undo does not record.
// - offsets: a model offset counts the text of the leaf blocks (those holding no blocks) in
//   order, with one newline after each and one character per inline element or embed, as
//   the client's model counts lines.

import { Document, Schema } from '../client/js/document.js';

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
    /** The HTML a top-level element was written from: {html, count} shared by its group. */
    this._sources = new WeakMap();
    this._document = null;
    editor.model.document.on('change:data', () => this._modelChanged());
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
    for (const top of this.root.getChildren()) {
      for (const line of this._linesOf(top)) lines.push(line);
    }
    this._document = new Document(lines, this._schema);
    return this._document;
  }

  hasChanges() { return this._dirty; }

  /** The lines of one top-level model element (cached). */
  _linesOf(top) {
    let lines = this._lines.get(top);
    if (lines === undefined) {
      // stringify writes an element's content: a fragment holding a copy writes the element
      const model = this.editor.model;
      const html = this.editor.data.stringify(model.getSelectedContent(model.createSelection(model.createRangeOn(top))));
      lines = Document.fromHTML(html, this.options).toLines();
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
        if (restore !== null) writer.setSelection(this._rangeOf(restore.start, restore.end));
      });
    } finally {
      this._writing = false;
    }
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
      for (let i = index; i < end; i++) lines.push(...this._linesOf(children[i]));
      groups.push({ start: index, end, html: lines.length > 0 ? new Document(lines, this._schema).toHTML() : null });
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

  /** The client's offset of a CKEditor model position. */
  offsetOf(position) {
    const schema = this.editor.model.schema;
    const root = this.root;
    let offset = 0;
    let index = 0;
    for (const top of root.getChildren()) {
      if (index === position.path[0]) break;
      for (const leaf of leavesOf(schema, top)) offset += leafLength(schema, leaf) + 1;
      index += 1;
    }
    if (position.path.length <= 1) return offset;
    const top = root.getChild(position.path[0]);
    for (const leaf of leavesOf(schema, top)) {
      if (leaf === position.parent) return offset + position.offset;
      const inside = leaf.getPath();
      const path = position.path;
      // a point before this leaf (between blocks in a table cell, a quote) is its start
      if (comparePaths(path, inside) <= 0) return offset;
      if (path.length > inside.length && inside.every((step, i) => step === path[i])) {
        return offset + Math.min(path[inside.length], leafLength(schema, leaf));
      }
      offset += leafLength(schema, leaf) + 1;
    }
    return Math.max(0, offset - 1);
  }

  /** The CKEditor model position at a client offset (clamped to the document). */
  positionAt(target) {
    const model = this.editor.model;
    const schema = model.schema;
    let offset = 0;
    let last = null;
    for (const top of this.root.getChildren()) {
      for (const leaf of leavesOf(schema, top)) {
        const length = leafLength(schema, leaf);
        last = leaf;
        if (target <= offset + length) return pointIn(model, schema, leaf, target - offset);
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
