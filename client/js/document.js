// The document model: HTML <-> Etherpad's attributed text (AText). The JavaScript twin of
// the Python package policypad.document; docs/document-model.md is the spec both follow.
//
// A Document is a list of lines: each line a list of runs (text with inline attributes)
// and the block attributes of the newline that ends it. Parsing takes any HTML (a string,
// parsed by the browser's own parser, or a live element such as an editor's root) and
// keeps only what the schema allows; rendering groups lines into tables, blockquotes and
// lists and escapes everything. `doc.atext` and `doc.pool` are the form the changeset
// engine (./changeset.js) shares with the server.
//
// The internals live in ./document/; this module is the public API.

import { AttributePool } from './changeset.js';
import { BlockParser } from './document/incremental.js';
import { atextToLines, checkLines, copyLines, linesToAText, linesToText } from './document/lines.js';
import { parse, storable } from './document/parse.js';
import { renderLines } from './document/render.js';
import { Schema } from './document/schema.js';
import { diffLines as diffMergedLines } from './document/diff.js';

export { BlockParser } from './document/incremental.js';
export { acceptLines, rejectLines } from './document/changes.js';
export { EMBED, MAX_DEPTH } from './document/parse.js';
export { escapeHTML } from './document/render.js';
export { IMAGE_SCHEMES, LINK_SCHEMES, Schema } from './document/schema.js';

/**
 * @typedef {Object<string, string>} Attributes attribute key -> value (never empty)
 * @typedef {[string, Attributes]} Run text (no newline) and its inline attributes
 * @typedef {[Run[], Attributes]} Line runs and the block attributes of its newline
 * @typedef {{classes?: string[], allowDataImages?: boolean, schema?: Schema, window?: Window}} Options
 *   schema options (see Schema), or a Schema as `schema`; `window` gives the DOMParser
 *   for HTML strings outside a browser (e.g. a jsdom window)
 */

/** An immutable document: lines of attributed text under a schema. */
export class Document {
  /**
   * Use the static constructors; this one takes lines already in the line form.
   * @param {Line[]} lines
   * @param {Schema} schema
   */
  constructor(lines, schema) {
    this._lines = lines;
    /** The schema this document was made under. */
    this.schema = schema;
    this._atext = null;
    this._pool = null;
    /**
     * Whether the HTML this was parsed from held what the model drops and a browser shows
     * or runs (a script, an event handler, a script URL; see LineParser.residue): an editor
     * holding that HTML shows more than this document.
     */
    this.residue = false;
  }

  /**
   * Parse HTML into a document.
   *
   * A string is parsed as the content of a `body` by the DOMParser of `options.window`
   * (default: the current realm's). An element is walked live, as it is (an editor's
   * root, in an iframe or not): its content is the document; its own tag and attributes
   * are ignored.
   * @param {string|Element} html
   * @param {Options} [options]
   * @returns {Document}
   * @throws {TypeError} if a string is given and there is no DOMParser
   */
  static fromHTML(html, options = {}) {
    const schema = Schema.from(options);
    const { lines, residue } = parse(html, schema, options);
    const doc = new Document(lines, schema);
    doc.residue = residue;
    return doc;
  }

  /**
   * Return a document of plain text: one line per "\n"-separated line, no attributes. A
   * final "\n" ends the last line (it adds no empty line). CR LF and CR count as "\n";
   * U+FFFC and lone surrogates, which no text may hold, are dropped or replaced.
   * @param {string} text
   * @param {Options} [options]
   * @returns {Document}
   */
  static fromText(text, options = {}) {
    const pieces = storable(text.replace(/\r\n?/g, '\n')).split('\n');
    if (pieces.length > 1 && pieces[pieces.length - 1] === '') pieces.pop();
    const lines = pieces.map((piece) => [piece ? [[piece, Object.freeze({})]] : [], Object.freeze({})]);
    return new Document(lines, Schema.from(options));
  }

  /**
   * Return a document of lines in the line form (runs are merged where attributes are
   * equal; empty runs and empty attribute values are dropped). No other normalization is
   * done: rendering still checks every value against the schema.
   * @param {Line[]} lines
   * @param {Options} [options]
   * @returns {Document}
   * @throws {TypeError} if `lines` is not in the line form
   */
  static fromLines(lines, options = {}) {
    return new Document(checkLines(lines), Schema.from(options));
  }

  /**
   * Return the document an AText holds.
   * @param {import('./changeset.js').AText} atext
   * @param {AttributePool} pool the pool its attribution cites
   * @param {Options} [options]
   * @returns {Document}
   * @throws {import('./changeset.js').ChangesetError} if the attribution cites a number not in the pool
   */
  static fromAText(atext, pool, options = {}) {
    const doc = new Document(atextToLines(atext, pool), Schema.from(options));
    doc._atext = atext;
    doc._pool = pool;
    return doc;
  }

  /**
   * The attributed text (built on first use, with `pool`).
   * @type {import('./changeset.js').AText}
   */
  get atext() {
    if (this._atext === null) {
      this._pool = new AttributePool();
      this._atext = linesToAText(this._lines, this._pool);
    }
    return this._atext;
  }

  /**
   * The pool that `atext` cites.
   * @type {AttributePool}
   */
  get pool() {
    if (this._pool === null) void this.atext;
    return this._pool;
  }

  /**
   * The text: each line's characters (embeds are U+FFFC) and a "\n" after each line.
   * @type {string}
   */
  get text() {
    let out = '';
    for (const [runs] of this._lines) {
      for (const [text] of runs) out += text;
      out += '\n';
    }
    return out;
  }

  /** Number of lines. */
  get lineCount() {
    return this._lines.length;
  }

  /**
   * Return the lines: [[runs, block], ...], runs maximal [[text, attrs], ...], attrs and
   * block plain objects of string values. The arrays and objects are the caller's.
   * @returns {Line[]}
   */
  toLines() {
    return copyLines(this._lines);
  }

  /**
   * Render to HTML (sanitized: only the model's elements and attributes, every value
   * escaped, URLs checked again).
   * @param {{authors?: boolean}} [options] `authors`: wrap text in `span data-author`
   * @returns {string}
   */
  toHTML(options = {}) {
    return renderLines(this._lines, options);
  }

  /**
   * Return the plain text: line breaks as newlines, images as their alt text, rules as
   * "---", a newline after each line (as the Python twin's `to_text`).
   * @returns {string}
   */
  toText() {
    return linesToText(this._lines);
  }
}

/**
 * Parse a live root element, reusing what a previous call parsed where the DOM did not
 * change. Pass the previous result's `parser` back in, and tell it what changed
 * (`parser.invalidate(node)`, `parser.invalidateRecords(records)` or `parser.observe()`).
 * @param {Element} root
 * @param {{parser: BlockParser}|null} [previous] an earlier result for the same root
 * @param {Options} [options] schema options (used when there is no previous result)
 * @returns {{document: Document, parser: BlockParser}}
 */
export function parseBlocks(root, previous = null, options = {}) {
  const parser = previous !== null && previous.parser.root === root ? previous.parser : new BlockParser(root, options);
  const document = new Document(parser.parseLines(), parser.schema);
  document.residue = parser.residue;
  return { document, parser };
}

/**
 * Return the merged document of two revisions: one line form holding both, its runs and
 * lines marked (`diff`: 'ins', 'del', 'format' on runs, 'ins', 'del', 'block' on lines;
 * `diff-before`: the old attributes as JSON). docs/document-model.md ("Diff") has the
 * rules; the Python twin gives the same lines. `acceptLines(merged)` gives `next` back,
 * `rejectLines(merged)` gives `old`.
 * @param {Document|Line[]} old
 * @param {Document|Line[]} next
 * @returns {Line[]}
 */
export function diffLines(old, next) {
  return diffMergedLines(linesOf(old), linesOf(next));
}

/**
 * Return the change between two revisions as HTML: `next` with `<ins>`, `<del>`, formatting
 * changes as `<span data-pp-change="format" data-pp-before="{old attributes}" title="...">`,
 * block changes as `data-pp-change="block"` (and "ins"/"del" on whole lines, rows, cells)
 * on their elements. Escaped and checked like any render.
 * @param {Document|Line[]} old
 * @param {Document|Line[]} next
 * @returns {string}
 */
export function diffHtml(old, next) {
  return renderLines(diffLines(old, next));
}

function linesOf(document) {
  return document instanceof Document ? document._lines : document;
}
