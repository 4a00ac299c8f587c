// The document at a revision, drawn read-only into an element, fast enough to follow a
// slider over a 100 KB document: only what differs from the revision shown is read, drawn
// and laid out again.
//
// 1. Lines. The AText's lines (text and attribution) are read into the line form once per
//    distinct line: a line unchanged since the last revision shown is the same object.
// 2. Parts. Lines are cut as the renderer groups them (a paragraph or heading alone;
//    consecutive list, quote, pre and table lines together) and each part is rendered on
//    its own (the same HTML as rendering the lines at once); a part of the same line
//    objects keeps its HTML string.
// 3. The DOM. Each part's nodes follow an empty comment, its mark. The new parts are
//    matched with the shown ones by their HTML, in order (a greedy diff: keep equal parts,
//    drop shown parts the new revision no longer has, insert new ones); only inserted
//    parts are parsed, in one go, and kept nodes are never touched.
//
// The style sheet lets the browser skip laying out the parts out of view
// (`content-visibility: auto`), so a long document costs what the window shows.

import { makeAText } from '../changeset.js';
import { formatOps, mergeOp, parseOps } from '../changeset/ops.js';
import { atextToLines } from '../document/lines.js';
import { renderLines } from '../document/render.js';

/** Draws attributed text (or given HTML) into one element. */
export class DocumentView {
  /**
   * @param {HTMLElement} element where the document goes (its content is replaced)
   * @param {{authors?: boolean}} [options] `authors`: wrap text in `span data-author`
   */
  constructor(element, options = {}) {
    this.element = element;
    this.options = { authors: Boolean(options.authors) };
    /** @type {Map<string, Line>} line text + attribution -> its line form (last shown) */
    this._lines = new Map();
    /** @type {Map<Line, {lines: Line[], html: string}>} parts by first line (last shown) */
    this._rendered = new Map();
    /** @type {string[]} the HTML of each part shown */
    this._parts = [];
    /** @type {Comment[]} the mark before each part shown */
    this._marks = [];
  }

  /**
   * Show the document of `atext`.
   * @param {import('../changeset.js').AText} atext
   * @param {import('../changeset.js').AttributePool} pool the pool its attribution cites
   * @returns {{kept: number, drawn: number}} parts left as they were, parts drawn anew
   */
  show(atext, pool) {
    return this._patch(this._renderParts(this._linesOf(atext, pool)));
  }

  /**
   * Show HTML as it is (the diff's), replacing whatever was shown. The HTML must come from
   * the document renderer, which escapes everything a document holds.
   * @param {string} html
   */
  showHTML(html) {
    this._parts = [];
    this._marks = [];
    this.element.innerHTML = html;
  }

  /** The line form of each line, reusing the objects of lines shown last time. */
  _linesOf(atext, pool) {
    const attributions = atext.attributionLines();
    const text = atext.text;
    const lines = new Array(attributions.length);
    const known = new Map();
    const missing = [];
    let start = 0;
    for (let i = 0; i < attributions.length; i++) {
      const end = text.indexOf('\n', start) + 1;
      const key = text.slice(start, end) + attributions[i];
      const line = known.get(key) ?? this._lines.get(key);
      if (line === undefined) missing.push(i, start, end);
      else {
        lines[i] = line;
        known.set(key, line);
      }
      start = end;
    }
    if (missing.length) {
      // the new lines, read in one go as a document of their own
      const texts = [];
      const attribs = [];
      for (let m = 0; m < missing.length; m += 3) {
        texts.push(text.slice(missing[m + 1], missing[m + 2]));
        attribs.push(attributions[missing[m]]);
      }
      // (lines' attributions joined must be merged where they meet, as an AText's are)
      const merged = [];
      for (const attribution of attribs) for (const op of parseOps(attribution)) mergeOp(merged, op);
      const read = atextToLines(makeAText(texts.join(''), formatOps(merged)), pool);
      for (let m = 0, k = 0; m < missing.length; m += 3, k++) {
        lines[missing[m]] = read[k];
        known.set(texts[k] + attribs[k], read[k]);
      }
    }
    this._lines = known;
    return lines;
  }

  /** The HTML of each part of `lines`, reusing that of parts of the same line objects. */
  _renderParts(lines) {
    const html = [];
    const rendered = new Map();
    let i = 0;
    while (i < lines.length) {
      let j = i + 1;
      if (!standsAlone(lines[i][1])) while (j < lines.length && !standsAlone(lines[j][1])) j++;
      let part = rendered.get(lines[i]) ?? this._rendered.get(lines[i]);
      if (part === undefined || !sameLines(part.lines, lines, i, j)) {
        const own = lines.slice(i, j);
        part = { lines: own, html: renderLines(own, this.options) };
      }
      rendered.set(lines[i], part);
      html.push(part.html);
      i = j;
    }
    this._rendered = rendered;
    return html;
  }

  /** Make the element show `parts`, keeping the nodes of parts already shown. */
  _patch(parts) {
    const old = this._parts;
    const oldMarks = this._marks;
    if (old.length === 0) this.element.textContent = '';
    const nextOld = positions(old);
    const nextNew = positions(parts);
    const marks = [];
    const inserts = []; // [index into parts, old index to insert before]
    const removed = new Uint8Array(old.length);
    let o = 0;
    let kept = 0;
    for (let n = 0; n < parts.length; n++) {
      const html = parts[n];
      for (;;) {
        if (o < old.length && old[o] === html) {
          marks[n] = oldMarks[o];
          o++;
          kept++;
          break;
        }
        const inOld = nextOld.after(html, o);
        const stillNeeded = o < old.length ? nextNew.after(old[o], n) : -1;
        if (inOld === -1 || (stillNeeded !== -1 && stillNeeded - n <= inOld - o)) {
          inserts.push([n, o]);
          break;
        }
        this._remove(oldMarks, o); // a part the new revision no longer has here
        removed[o++] = 1;
      }
    }
    for (; o < old.length; o++) {
      this._remove(oldMarks, o);
      removed[o] = 1;
    }
    // an insert goes before the first old part from its place on that stays
    const staying = new Int32Array(old.length + 1).fill(-1);
    for (let i = old.length - 1; i >= 0; i--) staying[i] = removed[i] ? staying[i + 1] : i;
    this._insert(parts, inserts.map(([n, before]) => [n, staying[before] === -1 ? null : oldMarks[staying[before]]]), marks);
    this._parts = parts;
    this._marks = marks;
    return { kept, drawn: parts.length - kept };
  }

  /** Take part `index` (its mark and nodes) out of the element. */
  _remove(marks, index) {
    const mark = marks[index];
    const end = index + 1 < marks.length ? marks[index + 1] : null;
    for (let node = mark; node !== null && node !== end;) {
      const next = node.nextSibling;
      node.remove();
      node = next;
    }
  }

  /** Parse the inserted parts in one go and put each before its anchor (null: at the end). */
  _insert(parts, inserts, marks) {
    if (inserts.length === 0) return;
    const template = this.element.ownerDocument.createElement('template');
    template.innerHTML = inserts.map(([n]) => `<!---->${parts[n]}`).join('');
    const fragment = template.content;
    const document = this.element.ownerDocument;
    let node = fragment.firstChild;
    for (let k = 0; k < inserts.length; k++) {
      const [n, anchor] = inserts[k];
      // this part's nodes: its mark up to the next mark
      const run = document.createDocumentFragment();
      marks[n] = node;
      do {
        const next = node.nextSibling;
        run.append(node);
        node = next;
      } while (node !== null && node.nodeType !== 8);
      this.element.insertBefore(run, anchor);
    }
  }
}

/**
 * Where each string is in `list`, to ask for the first place at or after an index.
 * @param {string[]} list
 */
function positions(list) {
  const at = new Map();
  list.forEach((value, index) => {
    const places = at.get(value);
    if (places === undefined) at.set(value, [index]);
    else places.push(index);
  });
  const cursors = new Map();
  return {
    /** The first index of `value` at or after `from` (from never decreases per value), or -1. */
    after(value, from) {
      const places = at.get(value);
      if (places === undefined) return -1;
      let cursor = cursors.get(value) ?? 0;
      while (cursor < places.length && places[cursor] < from) cursor++;
      cursors.set(value, cursor);
      return cursor < places.length ? places[cursor] : -1;
    },
  };
}

/** Whether a line renders as an element of its own (as the renderer groups lines). */
function standsAlone(block) {
  return block.table === undefined && block.quote === undefined && block.list === undefined && block.pre === undefined;
}

function sameLines(part, lines, start, end) {
  if (part.length !== end - start) return false;
  for (let i = 0; i < part.length; i++) if (part[i] !== lines[start + i]) return false;
  return true;
}

/**
 * The HTML of each part of `lines`: a line that stands alone, or a run of lines the
 * renderer groups into one container (list, quote, pre, table).
 * @param {Array<[Array<[string, object]>, object]>} lines
 * @param {{authors?: boolean}} [options]
 * @returns {string[]}
 */
export function renderParts(lines, options = {}) {
  const parts = [];
  let i = 0;
  while (i < lines.length) {
    let j = i + 1;
    if (!standsAlone(lines[i][1])) while (j < lines.length && !standsAlone(lines[j][1])) j++;
    parts.push(renderLines(lines.slice(i, j), options));
    i = j;
  }
  return parts;
}

/** @typedef {[Array<[string, object]>, object]} Line */
