// Render: lines of attributed text -> HTML. Twin of the Python renderer
// (server/policypad/document/render.py): the same HTML, byte for byte, for every shared
// vector. It differs on purpose where the Python renderer loses what the parser would
// read back (a rule inside a list item or a pre, a list item that is pre, pre lines with
// other alignment or classes, a start number in mid-list, a pre line ending in a br);
// the comments at those places say how.
//
// Consecutive lines are grouped into containers, outermost first: tables (by table, row
// and cell id), blockquotes, nested lists; then each line becomes one element. Every text
// and attribute value is escaped, and every value that becomes a URL, a tag name or a
// number is checked again here: an AText can come from any client, so rendering does not
// trust what it holds. A merged document's marks (changes.js) render as <ins>, <del> and
// data-pp-* attributes, by the rules of docs/document-model.md ("Diff").

import { DELETED, DIFF, FORMATTED, INSERTED, REBLOCKED, encodeAttributes } from './changes.js';
import { describeBlock, formatNote, oldAttributes, shownBlock, shownInline } from './notes.js';
import { mergeRuns } from './lines.js';
import { EMBED } from './parse.js';
import { EXTRA_PREFIX, IMAGE_SCHEMES, LINK_SCHEMES, cleanUrl, compareCodePoints, isSafeAttributeName } from './schema.js';

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\u00a0': '&nbsp;' };
const TO_ESCAPE = /[&<>"\u00a0]/g;
const TO_ESCAPE_TEST = /[&<>"\u00a0]/;
const DIGITS = /^[0-9]+$/;
const HEADING = /^[1-6]$/;
const ALIGNMENTS = new Set(['center', 'right', 'justify']);
const MAX_INDENT = 8;

// Inline wrappers inside a, span data-author and span class, outermost first.
const MARKS = [
  ['bold', 'strong'],
  ['italic', 'em'],
  ['underline', 'u'],
  ['strike', 's'],
  ['code', 'code'],
  ['sub', 'sub'],
  ['sup', 'sup'],
];

/**
 * Return `text` with & < > " escaped and U+00A0 as &nbsp;.
 * @param {string} text
 * @returns {string}
 */
export function escapeHTML(text) {
  return TO_ESCAPE_TEST.test(text) ? text.replace(TO_ESCAPE, (c) => ESCAPES[c]) : text;
}

function numberOver1(value) {
  if (typeof value !== 'string' || !DIGITS.test(value)) return '';
  const n = parseInt(value, 10);
  return n > 1 ? String(n) : '';
}

/** Renders lines into `out`, an array of HTML pieces. */
class Renderer {
  /**
   * @param {{authors?: boolean, imageSource?: (src: string) => string|null}} options
   */
  constructor(options) {
    this.authors = Boolean(options.authors);
    this.imageSource = options.imageSource ?? null;
    this.out = [];
  }

  render(lines) {
    this._tables(lines, 0, lines.length);
    return this.out.join('');
  }

  // -- containers -------------------------------------------------------------------------

  _tables(lines, start, end) {
    for (const [i, j] of runsBy(lines, start, end, 'table')) {
      if (lines[i][1].table === undefined) this._quotes(lines, i, j);
      else this._table(lines, i, j);
    }
  }

  _table(lines, start, end) {
    const rows = runsBy(lines, start, end, 'row');
    let head = 0;
    while (head < rows.length && lines[rows[head][0]][1].head === 'true') head++;
    const out = this.out;
    out.push(`<table${groupMark(lines, start, end)}>`);
    if (head > 0) {
      out.push('<thead>');
      for (let r = 0; r < head; r++) this._row(lines, rows[r]);
      out.push('</thead>');
    }
    if (head < rows.length) {
      out.push('<tbody>');
      for (let r = head; r < rows.length; r++) this._row(lines, rows[r]);
      out.push('</tbody>');
    }
    out.push('</table>');
  }

  _row(lines, [start, end]) {
    const out = this.out;
    out.push(`<tr${groupMark(lines, start, end)}>`);
    for (const [i, j] of runsBy(lines, start, end, 'cell')) {
      const block = lines[i][1];
      const tag = block.th === 'true' ? 'th' : 'td';
      let spans = '';
      for (const span of ['colspan', 'rowspan']) {
        const value = numberOver1(block[span]);
        if (value) spans += ` ${span}="${value}"`;
      }
      out.push(`<${tag}${spans}${groupMark(lines, i, j)}>`);
      this._quotes(lines, i, j);
      out.push(`</${tag}>`);
    }
    out.push('</tr>');
  }

  _quotes(lines, start, end) {
    for (const [i, j] of runsBy(lines, start, end, 'quote')) {
      const quote = lines[i][1].quote !== undefined;
      if (quote) this.out.push('<blockquote>');
      this._lists(lines, i, j);
      if (quote) this.out.push('</blockquote>');
    }
  }

  _lists(lines, start, end) {
    let i = start;
    while (i < end) {
      const [runs, block] = lines[i];
      let j = i + 1;
      if (block.list !== undefined) {
        while (j < end && lines[j][1].list !== undefined) j++;
        this._list(lines, i, j);
      } else if (block.pre === 'true' && !isRule(runs)) {
        // One pre holds the consecutive lines that would each render the same pre (a rule
        // cannot be inside one).
        while (j < end && samePre(block, lines[j])) j++;
        this._pre(lines, i, j);
      } else if (isRule(runs)) {
        this.out.push(`<hr${blockMark(block)}>`);
      } else {
        const tag = HEADING.test(block.heading ?? '') ? `h${block.heading}` : 'p';
        this.out.push(`<${tag}${blockAttributes(block)}${blockMark(block)}>`);
        this._content(runs);
        this.out.push(`</${tag}>`);
      }
      i = j;
    }
  }

  _list(lines, start, end) {
    const out = this.out;
    const stack = []; // open lists: {tag, level, itemOpen}
    const close = () => {
      const top = stack.pop();
      if (top.itemOpen) out.push('</li>');
      out.push(`</${top.tag}>`);
    };
    for (let i = start; i < end; i++) {
      const [runs, block] = lines[i];
      const tag = block.list === 'number' ? 'ol' : 'ul';
      const level = levelOf(block);
      const startNumber = tag === 'ol' ? numberOver1(block.start) : '';
      while (stack.length && stack[stack.length - 1].level > level) close();
      // Another list type, or a start number (it belongs to a list's first item), needs a
      // list of its own.
      if (stack.length && stack[stack.length - 1].level === level && (stack[stack.length - 1].tag !== tag || startNumber)) {
        close();
      }
      const top = stack[stack.length - 1];
      if (top !== undefined && top.level === level) {
        if (top.itemOpen) out.push('</li>');
      } else {
        let current = top !== undefined ? top.level : 0;
        while (current < level) {
          current += 1;
          const parent = stack[stack.length - 1];
          if (parent !== undefined && !parent.itemOpen) {
            out.push('<li>');
            parent.itemOpen = true;
          }
          out.push(current === level && startNumber ? `<ol start="${startNumber}">` : `<${tag}>`);
          stack.push({ tag, level: current, itemOpen: false });
        }
      }
      out.push(`<li${blockAttributes(block)}${blockMark(block)}>`);
      if (isRule(runs)) {
        out.push('<hr>');
      } else if (block.pre === 'true') {
        // A heading cannot show inside a pre; the pre's spacing can, so the pre wins.
        out.push('<pre>\n');
        this._preContent(runs);
        out.push('\n</pre>');
      } else if (HEADING.test(block.heading ?? '')) {
        out.push(`<h${block.heading}>`);
        this._content(runs);
        out.push(`</h${block.heading}>`);
      } else {
        this._content(runs);
      }
      stack[stack.length - 1].itemOpen = true;
    }
    while (stack.length) close();
  }

  _pre(lines, start, end) {
    const out = this.out;
    // The HTML parser drops a newline right after <pre>, and a final newline ends the
    // last line without opening another. A marked line (a merged document's) is a span
    // with its newline inside, so that taking the span away takes the whole line.
    out.push(`<pre${blockAttributes(lines[start][1])}>\n`);
    for (let i = start; i < end; i++) {
      const mark = blockMark(lines[i][1]);
      if (mark) out.push(`<span${mark}>`);
      this._preContent(lines[i][0]);
      out.push(mark ? '\n</span>' : '\n');
    }
    out.push('</pre>');
  }

  // -- inline content ---------------------------------------------------------------------

  /**
   * Write a line's runs in a block. An empty line shows a `<br>`, and so does a line that
   * ends with a br embed: the parser drops one trailing br, as browsers do not show it.
   */
  _content(runs) {
    this._inline(runs);
    if (runs.length === 0 || endsWithBreak(runs)) this.out.push('<br>');
  }

  /** Write a pre line's runs: an empty line shows anyway, a final br needs another. */
  _preContent(runs) {
    this._inline(runs);
    if (endsWithBreak(runs)) this.out.push('<br>');
  }

  _inline(runs) {
    let shown = runs;
    if (!this.authors && runs.some(([, attrs]) => 'author' in attrs)) {
      // neighbours that differ only in who typed them print as one: "never" typed by
      // two people is <s>never</s>, not <s>neve</s><s>r</s>
      shown = mergeRuns(runs.map(([text, attrs]) => {
        if (!('author' in attrs)) return [text, attrs];
        const { author: _author, ...rest } = attrs;
        return [text, rest];
      }));
    }
    for (const [text, attrs] of shown) this._run(text, attrs);
  }

  _run(text, attrs) {
    const out = this.out;
    const close = [];
    const mark = attrs[DIFF]; // only a merged document (changes.js) has marks
    if (mark === INSERTED || mark === DELETED) {
      out.push(`<${mark}>`);
      close.push(`</${mark}>`);
    } else if (mark === FORMATTED) {
      const old = shownInline(oldAttributes(attrs));
      const note = formatNote(old, shownInline(attrs));
      out.push(`<span data-pp-change="format" data-pp-before="${escapeHTML(encodeAttributes(old))}" title="${escapeHTML(note)}">`);
      close.push('</span>');
    }
    const link = typeof attrs.link === 'string' ? cleanUrl(attrs.link, LINK_SCHEMES, false) : null;
    if (link !== null) {
      out.push(`<a href="${escapeHTML(link)}">`);
      close.push('</a>');
    }
    if (this.authors && typeof attrs.author === 'string' && attrs.author) {
      out.push(`<span data-author="${escapeHTML(attrs.author)}">`);
      close.push('</span>');
    }
    if (typeof attrs.class === 'string' && attrs.class) {
      out.push(`<span class="${escapeHTML(attrs.class)}">`);
      close.push('</span>');
    }
    const extra = attrs.embed === undefined ? extraAttributes(attrs) : '';
    if (extra) {
      out.push(`<span${extra}>`);
      close.push('</span>');
    }
    for (const [key, tag] of MARKS) {
      if (attrs[key] === 'true') {
        out.push(`<${tag}>`);
        close.push(`</${tag}>`);
      }
    }
    if (attrs.embed !== undefined) {
      const one = embedHTML(attrs, this.imageSource);
      for (let k = 0; k < text.length; k++) out.push(one);
    } else {
      out.push(escapeHTML(text));
    }
    for (let k = close.length - 1; k >= 0; k--) out.push(close[k]);
  }
}

/**
 * Return the HTML of one embed character. `imageSource`, if given, says what an image's
 * `src` is written as (a session's: a stored image's address on the server); else the
 * source is checked as any URL.
 */
function embedHTML(attrs, imageSource = null) {
  switch (attrs.embed) {
    case 'br':
      return '<br>';
    case 'hr':
      return '<hr>';
    case 'image': {
      // Any data image of a safe type renders, whatever this client's schema says: the
      // schema decides what a parse lets in, the server may allow more.
      let src = null;
      if (typeof attrs.src === 'string') {
        src = imageSource !== null ? imageSource(attrs.src) : cleanUrl(attrs.src, IMAGE_SCHEMES, true);
      }
      if (src === null) return '';
      let html = `<img src="${escapeHTML(src)}"`;
      if (typeof attrs.alt === 'string' && attrs.alt) html += ` alt="${escapeHTML(attrs.alt)}"`;
      for (const name of ['width', 'height']) {
        if (typeof attrs[name] === 'string' && DIGITS.test(attrs[name])) html += ` ${name}="${attrs[name]}"`;
      }
      return `${html}>`;
    }
    default:
      return '';
  }
}

/** Host-allowed HTML attributes (`@name` keys), names checked again, sorted. */
function extraAttributes(attrs) {
  let out = '';
  const keys = Object.keys(attrs).filter((key) => key.startsWith(EXTRA_PREFIX)).sort(compareCodePoints);
  for (const key of keys) {
    const value = attrs[key];
    if (typeof value === 'string' && value && isSafeAttributeName(key.slice(1))) {
      out += ` ${key.slice(1)}="${escapeHTML(value)}"`;
    }
  }
  return out;
}

/** The attributes of a marked line's element (a merged document's, see changes.js). */
function blockMark(block) {
  const mark = block[DIFF];
  if (mark === INSERTED || mark === DELETED) return ` data-pp-change="${mark}"`;
  if (mark !== REBLOCKED) return '';
  const old = oldAttributes(block);
  let html = ` data-pp-change="block" data-pp-before="${escapeHTML(encodeAttributes(shownBlock(old)))}"`;
  if (block[`${EXTRA_PREFIX}title`] === undefined) {
    // a host's own title wins
    html += ` title="${escapeHTML(`Formatted: ${describeBlock(block)} (was ${describeBlock(old)})`)}"`;
  }
  return html;
}

/** The attribute of a table, row or cell whose lines are all inserted or all deleted. */
function groupMark(lines, start, end) {
  const mark = lines[start][1][DIFF];
  if (mark !== INSERTED && mark !== DELETED) return '';
  for (let i = start + 1; i < end; i++) if (lines[i][1][DIFF] !== mark) return '';
  return ` data-pp-change="${mark}"`;
}

function blockAttributes(block) {
  let attrs = '';
  if (typeof block.bclass === 'string' && block.bclass) attrs += ` class="${escapeHTML(block.bclass)}"`;
  if (ALIGNMENTS.has(block.align)) attrs += ` style="text-align: ${block.align}"`;
  return attrs + extraAttributes(block);
}

function levelOf(block) {
  const indent = block.indent;
  if (typeof indent !== 'string' || !DIGITS.test(indent)) return 1;
  return Math.min(Math.max(parseInt(indent, 10), 1), MAX_INDENT);
}

function endsWithBreak(runs) {
  const last = runs[runs.length - 1];
  return last !== undefined && last[1].embed === 'br' && last[0].endsWith(EMBED);
}

/** A line holding one rule (hr embed) and nothing else. */
function isRule(runs) {
  return runs.length === 1 && runs[0][0] === EMBED && runs[0][1].embed === 'hr';
}

/**
 * Return whether `line` goes in the same pre as a line with `block`: a pre line with the
 * pre element's attributes (a heading cannot show inside a pre, so it does not count).
 */
function samePre(block, line) {
  const other = line[1];
  return (
    other.pre === 'true' &&
    other.list === undefined &&
    !isRule(line[0]) &&
    other.align === block.align &&
    other.bclass === block.bclass
  );
}

/** Return [start, end) pairs of the runs of lines with equal block[key] (absent included). */
function runsBy(lines, start, end, key) {
  const runs = [];
  let i = start;
  while (i < end) {
    const value = lines[i][1][key];
    let j = i + 1;
    while (j < end && lines[j][1][key] === value) j++;
    runs.push([i, j]);
    i = j;
  }
  return runs;
}

/**
 * Render lines to HTML.
 * @param {Array<[Array<[string, object]>, object]>} lines
 * @param {{authors?: boolean, imageSource?: (src: string) => string|null}} [options]
 *   `authors`: wrap text in `span data-author`; `imageSource`: what an image's `src` is
 *   written as (trusted; without it the source is checked as any URL)
 * @returns {string}
 */
export function renderLines(lines, options = {}) {
  return new Renderer(options).render(lines);
}

/**
 * Renders one document's lines again and again as they change: the lines are cut where no
 * container (table, quote, list, pre) goes on, and a part whose lines are the same objects
 * as at the last call keeps its HTML. The result is `renderLines(lines, options)`.
 */
export class LineRenderer {
  /** @param {{authors?: boolean, imageSource?: (src: string) => string|null}} [options] as for renderLines */
  constructor(options = {}) {
    this.options = options;
    /** The parts of the last call by their first line: {lines, html}. */
    this._parts = new Map();
  }

  /**
   * Render lines to HTML, reusing the HTML of the parts whose lines did not change.
   * The lines must not be changed in place after they are rendered.
   * @param {Array<[Array<[string, object]>, object]>} lines
   * @returns {string}
   */
  render(lines) {
    const out = [];
    const parts = new Map();
    let i = 0;
    while (i < lines.length) {
      let j = i + 1;
      if (!standsAlone(lines[i])) while (j < lines.length && !standsAlone(lines[j])) j++;
      let part = this._parts.get(lines[i]);
      if (part === undefined || !sameObjects(part.lines, lines, i, j)) {
        const own = lines.slice(i, j);
        part = { lines: own, html: renderLines(own, this.options) };
      }
      parts.set(lines[i], part);
      out.push(part.html);
      i = j;
    }
    this._parts = parts;
    return out.join('');
  }
}

/** Whether a line renders as an element of its own (a paragraph, a heading, a rule). */
function standsAlone([, block]) {
  return block.table === undefined && block.quote === undefined && block.list === undefined && block.pre === undefined;
}

function sameObjects(part, lines, start, end) {
  if (part.length !== end - start) return false;
  for (let k = 0; k < part.length; k++) if (part[k] !== lines[start + k]) return false;
  return true;
}
