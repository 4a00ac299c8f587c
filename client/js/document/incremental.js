// Incremental parse of a live editor root: re-parse only the top-level blocks that changed.
//
// Why it is exact: entering or leaving a block element ends the open line, so the lines
// of a top-level block element depend on its own subtree alone (the root's context is
// empty), except for table, row and cell ids, which are counted in document order over
// the whole parse. So each top-level block's lines are kept with ids counted from 1 and
// the number of ids it used; assembling shifts them by the ids used before it (and Word's
// list paragraphs, whose type and number depend on the lines before them, are settled
// once all lines are assembled: see office-lists.js). Content
// between blocks (bare text, inline elements, br) can continue a line across nodes and
// is cheap, so it is walked again on every parse.

import { BLOCK_ELEMENTS, Counters, LineParser } from './parse.js';
import { Schema } from './schema.js';

const ELEMENT_NODE = 1;

/**
 * Parses a live root element again and again, reusing the lines of unchanged top-level
 * blocks. Tell it what changed, with `invalidate(node)` for any node inside a changed
 * block (a MutationRecord's target will do), with `invalidateRecords(records)`, or let it
 * watch the root itself with `observe()`.
 *
 * @example
 *   const blocks = new BlockParser(editor.getBody(), {classes: ['note']});
 *   blocks.observe();                // or: new MutationObserver((r) => blocks.invalidateRecords(r))
 *   const doc = blocks.parse();      // a Document, same as Document.fromHTML(root)
 */
export class BlockParser {
  /**
   * @param {Element} root the container whose content is the document (its own tag and
   *   attributes are ignored)
   * @param {object} [options] schema options (see Schema), or {schema}
   */
  constructor(root, options = {}) {
    this.root = root;
    this.schema = Schema.from(options);
    /** @type {WeakMap<Element, {lines: Array, tables: number, rows: number, cells: number}>} */
    this._cache = new WeakMap();
    this._observer = null;
    /** Whether the last `parseLines` met anything the model drops (see LineParser.residue). */
    this.residue = false;
    /** What the last `parseLines` did: top-level blocks reused from before and parsed anew. */
    this.lastParse = { reused: 0, parsed: 0 };
  }

  /**
   * Forget the parsed lines of the top-level block holding `node` (or being `node`).
   * Nodes outside the root (e.g. already removed) are ignored: their removal is a change
   * of their old parent, which is still inside. A top-level block changed while out of the
   * root and put back must be invalidated itself once back (the records of `observe` do so).
   * @param {Node} node
   */
  invalidate(node) {
    const root = this.root;
    let child = node;
    while (child !== null && child !== root) {
      const parent = child.parentNode;
      if (parent === root) {
        this._cache.delete(child);
        return;
      }
      child = parent;
    }
  }

  /**
   * Invalidate what MutationObserver records say changed.
   * @param {Iterable<MutationRecord>} records
   */
  invalidateRecords(records) {
    for (const record of records) {
      this.invalidate(record.target);
      // A block edited while out of the document and put back is only seen as added.
      if (record.target === this.root) for (const node of record.addedNodes) this._cache.delete(node);
    }
  }

  /**
   * Watch the root with a MutationObserver (of the root's window) and invalidate changed
   * blocks. `parse` also takes pending records first, so edits made just before it count.
   */
  observe() {
    if (this._observer !== null) return;
    const view = this.root.ownerDocument.defaultView ?? globalThis;
    this._observer = new view.MutationObserver((records) => this.invalidateRecords(records));
    this._observer.observe(this.root, { childList: true, subtree: true, characterData: true, attributes: true });
  }

  /** Stop watching the root. */
  disconnect() {
    if (this._observer === null) return;
    this.invalidateRecords(this._observer.takeRecords());
    this._observer.disconnect();
    this._observer = null;
  }

  /** Forget every parsed block. */
  clear() {
    this._cache = new WeakMap();
  }

  /**
   * Parse the root's content into lines, reusing unchanged top-level blocks.
   * @returns {Array<[Array<[string, object]>, object]>} the same lines as a full parse
   */
  parseLines() {
    if (this._observer !== null) this.invalidateRecords(this._observer.takeRecords());
    const counters = new Counters();
    const main = new LineParser(this.schema, counters);
    main.styleScope = this.root;
    const stats = { reused: 0, parsed: 0 };
    let residue = false;
    for (let node = this.root.firstChild; node !== null; node = node.nextSibling) {
      if (node.nodeType !== ELEMENT_NODE || !BLOCK_ELEMENTS.has(node.localName.toLowerCase())) {
        main.walk(node);
        continue;
      }
      let entry = this._cache.get(node);
      if (entry !== undefined) stats.reused += 1;
      else {
        stats.parsed += 1;
        const own = new Counters();
        const part = new LineParser(this.schema, own);
        part.walk(node);
        part.endLine();
        entry = {
          lines: part.lines, tables: own.table, rows: own.row, cells: own.cell, residue: part.residue,
          officeItems: part.officeItems,
        };
        this._cache.set(node, entry);
      }
      residue ||= entry.residue;
      main.endLine();
      // Word list items are settled over the whole document, when `finish` has it all
      main.officeItems += entry.officeItems;
      appendShifted(main.lines, entry.lines, counters);
      counters.table += entry.tables;
      counters.row += entry.rows;
      counters.cell += entry.cells;
    }
    this.lastParse = stats;
    const lines = main.finish();
    this.residue = residue || main.residue;
    return lines;
  }
}

const ID_KEYS = [
  ['table', 't'],
  ['row', 'r'],
  ['cell', 'c'],
];

/** Append lines whose ids were counted from 1, shifted past the ids `counters` used. */
export function appendShifted(out, lines, counters) {
  const nothingBefore = counters.table === 0 && counters.row === 0 && counters.cell === 0;
  for (const line of lines) {
    const block = line[1];
    if (nothingBefore || (block.table === undefined && block.row === undefined && block.cell === undefined)) {
      out.push(line);
      continue;
    }
    const shifted = { ...block };
    for (const [key, prefix] of ID_KEYS) {
      if (block[key] !== undefined) shifted[key] = `${prefix}${Number(block[key].slice(1)) + counters[key]}`;
    }
    out.push([line[0], Object.freeze(shifted)]);
  }
}
