// The document at a revision, drawn read-only into an element, fast enough to follow a
// slider: moving one revision changes a line or two, so only those are drawn again.
//
// The lines are cut into parts as the renderer groups them (a paragraph or heading alone;
// consecutive list, quote, pre and table lines together), each part rendered on its own
// (the same HTML as rendering all lines at once) and preceded in the element by an empty
// comment, its mark. A new revision's parts are compared with the shown ones by their HTML:
// the equal ones at the start and at the end stay in the DOM, untouched; only the middle is
// parsed and replaced. So the browser lays out again what changed, not a 100 KB document.

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
    /** @type {string[]} the HTML of each part shown */
    this._parts = [];
    /** @type {Comment[]} the mark before each part shown */
    this._marks = [];
  }

  /**
   * Show the document of `atext`.
   * @param {import('../changeset.js').AText} atext
   * @param {import('../changeset.js').AttributePool} pool the pool its attribution cites
   * @returns {{kept: number, drawn: number}} parts left as they were, parts drawn again
   */
  show(atext, pool) {
    return this._patch(renderParts(atextToLines(atext, pool), this.options));
  }

  /**
   * Show HTML as it is (the diff's), replacing whatever was shown. The HTML must be the
   * server's own rendering, which escapes everything a document holds.
   * @param {string} html
   */
  showHTML(html) {
    this._parts = [];
    this._marks = [];
    this.element.innerHTML = html;
  }

  _patch(parts) {
    const old = this._parts;
    if (old.length === 0 && this._marks.length === 0) this.element.textContent = '';
    let start = 0;
    const shorter = Math.min(old.length, parts.length);
    while (start < shorter && old[start] === parts[start]) start++;
    let end = 0;
    while (end < shorter - start && old[old.length - 1 - end] === parts[parts.length - 1 - end]) end++;
    const drawn = parts.length - start - end;
    // out: the old parts start .. old.length-end; in: the new ones between
    const after = end > 0 ? this._marks[old.length - end] : null;
    const range = this.element.ownerDocument.createRange();
    if (start < old.length - end) {
      range.setStartBefore(this._marks[start]);
      if (after === null) range.setEndAfter(this.element.lastChild);
      else range.setEndBefore(after);
      range.deleteContents();
    }
    const marks = [];
    if (drawn > 0) {
      const template = this.element.ownerDocument.createElement('template');
      template.innerHTML = parts.slice(start, start + drawn).map((html) => `<!---->${html}`).join('');
      const fragment = template.content;
      for (let node = fragment.firstChild; node !== null; node = node.nextSibling) {
        if (node.nodeType === 8) marks.push(node);
      }
      this.element.insertBefore(fragment, after);
    }
    this._marks = [...this._marks.slice(0, start), ...marks, ...this._marks.slice(old.length - end)];
    this._parts = parts;
    return { kept: parts.length - drawn, drawn };
  }
}

/** Whether a line renders as an element of its own (as the renderer groups lines). */
function standsAlone(block) {
  return block.table === undefined && block.quote === undefined && block.list === undefined && block.pre === undefined;
}

/**
 * The HTML of each part of `lines`: a line that stands alone, or a run of lines the
 * renderer groups into one container (list, quote, pre, table).
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
