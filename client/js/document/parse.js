// Parse: HTML (a DOM subtree) -> lines of attributed text. Twin of the Python parser
// (server/policypad/document/parse.py), which is the reference where the spec
// (docs/document-model.md) leaves a choice open; the comments here say why.
//
// The walk is iterative (firstChild / nextSibling with an explicit stack of frames), so
// depth costs memory, never the call stack. A frame holds what its element implies for
// the content inside it: the context (block attributes and list/pre/li state, a frozen
// object shared by every descendant that does not change it) and the inline attributes
// (likewise shared, with a string key so that merging runs compares one string).
//
// Finished lines are [runs, block] with runs [[text, attrs], ...]: the public line form.
//
// A parse also notes whether the HTML held anything the model drops that a browser would
// show or run (`residue`): a skipped element (script, iframe, svg, ...), an event handler,
// a URL that runs script or that the schema refuses, a paragraph inside a paragraph. An
// editor holding such HTML shows more than the document: the session writes the document
// back into it (see session.js).

import { attrsKey } from './attrs.js';
import {
  OFFICE_KEY, OfficeItem, isMarkerStyle, listDefinitions, listItem, noteComment, resolveOfficeLists,
  styleTexts,
} from './office-lists.js';
import { EXTRA_PREFIX } from './schema.js';

export { attrsKey } from './attrs.js';

/** The character an embed stands on. */
export const EMBED = '\uFFFC';

/** Elements nested deeper than this (counting the root's children as 0) are transparent. */
export const MAX_DEPTH = 512;

/** Elements skipped with everything inside them. */
export const SKIPPED_ELEMENTS = new Set([
  'script', 'style', 'template', 'noscript', 'iframe', 'object', 'embed', 'svg', 'math',
  'canvas', 'audio', 'video', 'head', 'title', 'meta', 'link', 'base', 'select', 'textarea',
  'input', 'button', 'option', 'optgroup', 'datalist',
]);

/** Block elements: entering or leaving one ends the open line (except inside an li). */
export const BLOCK_ELEMENTS = new Set([
  'p', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'blockquote', 'li', 'ul', 'ol', 'dl',
  'dt', 'dd', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'caption', 'address',
  'article', 'aside', 'section', 'header', 'footer', 'nav', 'main', 'figure', 'figcaption',
  'center', 'hr',
]);

// A URL that runs script or carries its own content, in any attribute (editors keep copies
// of links in attributes of their own, e.g. CKEditor 4's data-cke-saved-href).
const ACTIVE_URL = /^(?:javascript|vbscript|data):/i;
const IGNORED_IN_URL = /[\u0000-\u0020\u007f]+/g;
// Attributes that load things (the schema never allows them), and styles that do.
const LOADING_ATTRIBUTES = new Set([
  'srcset', 'background', 'poster', 'lowsrc', 'dynsrc', 'ping', 'action', 'formaction', 'autofocus',
]);
const LOADING_STYLE = /url\s*\(|expression\s*\(|behavior\s*:|-moz-binding/i;
// Blocks a browser shows nested where the model has them one after the other.
const FLAT_BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/** Whether an element's attributes hold what the model drops and a browser runs or loads. */
function activeAttributes(node, tag, schema) {
  for (const { name, value } of node.attributes) {
    if (name.charCodeAt(0) === 111 && name.charCodeAt(1) === 110) return true; // on...
    if (LOADING_ATTRIBUTES.has(name) || (name === 'style' && LOADING_STYLE.test(value))) return true;
    if (value.includes(':') && ACTIVE_URL.test(value.replace(IGNORED_IN_URL, ''))) {
      if (!(tag === 'img' && name === 'src' && schema.cleanImageSource(value) !== null)) return true;
    }
  }
  return false;
}

// Blocks that always hold a line, even when empty: a bullet, a cell and a pre show when
// empty; an empty <p></p> has no height in a browser (editors write <p><br></p>), so, as in
// the Python twin, it gives no line.
const LINE_BLOCKS = new Set(['li', 'td', 'th', 'pre']);

const TAG_FLAGS = new Map([
  ['b', 'bold'], ['strong', 'bold'],
  ['i', 'italic'], ['em', 'italic'], ['cite', 'italic'], ['dfn', 'italic'],
  ['u', 'underline'], ['ins', 'underline'],
  ['s', 'strike'], ['strike', 'strike'], ['del', 'strike'],
  ['code', 'code'], ['kbd', 'code'], ['samp', 'code'], ['tt', 'code'],
  ['sub', 'sub'], ['sup', 'sup'],
]);

const HEADINGS = new Map([['h1', '1'], ['h2', '2'], ['h3', '3'], ['h4', '4'], ['h5', '5'], ['h6', '6']]);
const ALIGNMENTS = new Set(['center', 'right', 'justify']);
const BOLD_WEIGHTS = new Set(['bold', 'bolder', '600', '700', '800', '900']);
const PLAIN_WEIGHTS = new Set(['normal', '400', 'lighter', '100', '200', '300', '500']);
// A table starts afresh: the blocks around it say nothing about its cells.
const TABLE_RESET = ['heading', 'pre', 'list', 'indent', 'start', 'quote', 'align', 'bclass'];
/** The block keys that place a line in a table (its cell's). */
export const TABLE_KEYS = ['table', 'row', 'cell', 'th', 'head', 'colspan', 'rowspan'];
const MAX_INDENT = 8;
// The blocks Word writes list items as (see office-lists.js).
const OFFICE_ITEMS = new Set(['p', 'div', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

const WHITESPACE_RUN = /[ \t\n\r\f]+/g;
// Text with single spaces only (most of it) needs no collapsing: this finds the rest.
const COLLAPSIBLE = /[\t\n\r\f]| {2}/;
const DIGITS = /^[0-9]+$/;
// Python's str.strip() and str.split() whitespace, so both twins read numbers and class
// lists alike.
const PY_SPACE = '\\t\\n\\v\\f\\r \\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');
// What no AText may hold: lone surrogates (a live DOM can have them) and U+FFFC outside an
// embed. The HTML parser has already dealt with NUL.
const UNSTORABLE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\uFFFC/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');
// A fast first look (surrogates are rare in text, lone ones rarer still).
const MAYBE_UNSTORABLE = /[\uD800-\uDFFF\uFFFC]/;

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;
const COMMENT_NODE = 8;

const NO_ATTRS = Object.freeze({});

/** Python's str.strip(). */
export function pyStrip(text) {
  return text.replace(PY_STRIP, '');
}

/** Return text that an AText can hold: lone surrogates as U+FFFD, U+FFFC dropped. */
export function storable(text) {
  if (!MAYBE_UNSTORABLE.test(text) || !UNSTORABLE.test(text)) return text;
  return text.replace(UNSTORABLE_ALL, (c) => (c === EMBED ? '' : '\uFFFD'));
}

/** Return an attribute's value as an AText can hold it, or null if absent. */
function storableAttribute(node, name) {
  const value = node.getAttribute(name);
  return value === null ? null : storable(value);
}

/** Remove alignment, classes and host-allowed attributes from a block's attributes. */
function dropBlockStyling(block) {
  delete block.align;
  delete block.bclass;
  for (const key of Object.keys(block)) if (key.startsWith(EXTRA_PREFIX)) delete block[key];
}

/** The context outside every element. */
const ROOT_CONTEXT = Object.freeze({
  block: NO_ATTRS,
  inBlock: false,
  inPre: false,
  inLi: false, // inside an li's own content (not a nested list or table)
  listLevel: 0,
  listState: null, // the innermost open ul/ol: {start}; its start waits for its first line
  office: null, // the Word list paragraph around (an OfficeItem; see office-lists.js)
  inMarker: false, // inside the element holding its bullet or number
});

// Block elements that say more than alignment and classes.
const CONTEXT_ELEMENTS = new Set([
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'table', 'thead', 'tbody', 'tfoot', 'tr',
  'td', 'th', 'caption', 'pre', 'blockquote',
]);

const inBlockContexts = new WeakMap();
const markerContexts = new WeakMap();

/** Return `ctx` inside the element holding a Word list item's marker. */
function markerContext(ctx) {
  let inner = markerContexts.get(ctx);
  if (inner === undefined) {
    inner = Object.freeze({ ...ctx, inMarker: true });
    markerContexts.set(ctx, inner);
  }
  return inner;
}

/** The value of a `mso-list` declaration (Word's lists), or null. */
function msoListOf(declarations) {
  let found = null;
  if (declarations !== null) for (const [property, value] of declarations) if (property === 'mso-list') found = value;
  return found;
}

/** Whether the walk is inside a Word list item's marker (its text is kept aside). */
function inMarker(ctx) {
  return ctx.office !== null && (ctx.inMarker || ctx.office.inCommentMarker);
}

/** Return `ctx` inside a block element that says nothing more (one object per ctx). */
function inBlockContext(ctx) {
  let inner = inBlockContexts.get(ctx);
  if (inner === undefined) {
    inner = Object.freeze({ ...ctx, inBlock: true });
    inBlockContexts.set(ctx, inner);
  }
  return inner;
}

/**
 * Read the declarations of a `style` attribute: [property, value] pairs in order.
 * @param {string} style
 * @returns {Array<[string, string]>}
 */
function declarationsOf(style) {
  const found = [];
  for (const declaration of style.split(';')) {
    const colon = declaration.indexOf(':');
    if (colon < 0) continue;
    const property = pyStrip(declaration.slice(0, colon)).toLowerCase();
    const value = pyStrip(declaration.slice(colon + 1).replaceAll('!important', '')).toLowerCase();
    found.push([property, value]);
  }
  return found;
}

/** Return 'center' | 'right' | 'justify', '' to clear, or null when the element says nothing. */
function alignmentOf(node, declarations) {
  let said = null;
  const align = node.getAttribute('align');
  if (align) said = pyStrip(align).toLowerCase();
  if (declarations !== null) {
    for (const [property, value] of declarations) if (property === 'text-align') said = value;
  }
  if (said === null) return null;
  return ALIGNMENTS.has(said) ? said : '';
}

/** Return an attribute holding an integer > 1 as its decimal string, else ''. */
function numberOver1(value) {
  if (value === null) return '';
  const digits = pyStrip(value);
  if (!DIGITS.test(digits)) return '';
  const n = parseInt(digits, 10);
  return n > 1 ? String(n) : '';
}

/**
 * Table, row and cell numbering of one parse, counted from 1 in document order.
 * (An incremental parse counts each top-level block on its own and shifts the ids.)
 */
export class Counters {
  constructor() {
    this.table = 0;
    this.row = 0;
    this.cell = 0;
  }
}

/**
 * Walks DOM nodes into lines. One LineParser is one parse: give it nodes in document
 * order (`walk`, `walkChildren`), then take the lines with `finish`.
 */
export class LineParser {
  /**
   * @param {import('./schema.js').Schema} schema
   * @param {Counters} [counters]
   */
  constructor(schema, counters = new Counters()) {
    this.schema = schema;
    this.counters = counters;
    /** @type {Array<[Array<[string, object]>, object]>} finished lines */
    this.lines = [];
    /** Whether what was walked held anything the model drops that a browser shows or runs. */
    this.residue = false;
    /** How many lines hold a Word list item still to settle (see office-lists.js). */
    this.officeItems = 0;
    /** Where the `style` elements that may define Word's lists are (a document or element). */
    this.styleScope = null;
    this.line = null;
    this.root = {
      node: null,
      ctx: ROOT_CONTEXT,
      inline: NO_ATTRS,
      inlineKey: '',
      depth: -1,
      isBlock: false,
      tag: '',
      linesAtEntry: 0,
    };
  }

  /**
   * Walk `node` and its subtree as a child of the root.
   * @param {Node} node
   */
  walk(node) {
    this._walkFrom(node, true);
  }

  /**
   * Walk the children of `container` (its own tag and attributes are ignored).
   * @param {Node} container
   */
  walkChildren(container) {
    const first = container.firstChild;
    if (first !== null) this._walkFrom(first, false);
  }

  _walkFrom(first, single) {
    const root = this.root;
    const stack = [root];
    let frame = root;
    let node = first;
    for (;;) {
      if (node !== null) {
        const type = node.nodeType;
        if (type === ELEMENT_NODE) {
          const child = this._enter(node, frame);
          if (child !== null) {
            stack.push(child);
            frame = child;
            node = node.firstChild;
            continue;
          }
        } else if (type === TEXT_NODE || type === CDATA_SECTION_NODE) {
          const data = node.data;
          if (data.length !== 0) this._text(data, frame);
        } else if (type === COMMENT_NODE && frame.ctx.office !== null) {
          noteComment(frame.ctx.office, node.data);
        }
        node = single && frame === root ? null : node.nextSibling;
        continue;
      }
      if (stack.length === 1) return;
      const done = stack.pop();
      if (done.isBlock) this._exit(done);
      frame = stack[stack.length - 1];
      node = single && frame === root ? null : done.node.nextSibling;
    }
  }

  /**
   * End the open line and return the lines (one empty line if there are none).
   * @returns {Array<[Array<[string, object]>, object]>}
   */
  finish() {
    this.endLine();
    if (this.lines.length === 0) this.lines.push([[], NO_ATTRS]);
    if (this.officeItems > 0) {
      this.lines = resolveOfficeLists(this.lines, () => listDefinitions(styleTexts(this.styleScope)));
      this.officeItems = 0;
    }
    return this.lines;
  }

  // -- elements ---------------------------------------------------------------------------

  /** Handle an element's start; return its frame if its children are to be walked. */
  _enter(node, parent) {
    const tag = node.localName.toLowerCase();
    if (SKIPPED_ELEMENTS.has(tag)) {
      this.residue = true;
      return null;
    }
    if (!this.residue && node.hasAttributes() && activeAttributes(node, tag, this.schema)) this.residue = true;
    const depth = parent.depth + 1;
    const ctx = parent.ctx;
    if (depth > MAX_DEPTH || inMarker(ctx)) {
      // Past the limit elements are transparent: what is inside keeps the outer context.
      // A Word list item's marker is text only: what else it holds is left out.
      if (depth <= MAX_DEPTH && (tag === 'br' || tag === 'img' || tag === 'hr')) return null;
      return { ...parent, node, depth, isBlock: false, tag: '' };
    }
    if (tag === 'br') {
      if (ctx.inBlock) this._embed({ embed: 'br' }, parent);
      else {
        // Bare text (a<br>b) has no block to hold a br: the br ends the line.
        this.openLine(ctx);
        this.endLine();
      }
      return null;
    }
    if (tag === 'img') {
      this._image(node, parent);
      return null;
    }
    if (tag === 'hr') {
      this.endLine();
      // The rule carries no inline attributes and takes the block of where it stands.
      this.openLine(ctx);
      this._append(EMBED, HR_ATTRS, HR_KEY);
      this.endLine();
      return null;
    }
    const isBlock = BLOCK_ELEMENTS.has(tag);
    if (isBlock && FLAT_BLOCKS.has(parent.tag)) this.residue = true;
    const frame = {
      node,
      ctx,
      inline: parent.inline,
      inlineKey: parent.inlineKey,
      depth,
      isBlock,
      tag,
      linesAtEntry: 0,
    };
    const hasAttributes = node.hasAttributes();
    let declarations = null;
    if (hasAttributes) {
      const style = node.getAttribute('style');
      if (style) declarations = declarationsOf(style);
    }
    this._inline(node, tag, isBlock, hasAttributes, declarations, frame);
    if (!isBlock) {
      if (ctx.office !== null && isMarkerStyle(msoListOf(declarations))) frame.ctx = markerContext(ctx);
      return frame;
    }

    frame.ctx = this._blockContext(node, tag, hasAttributes, declarations, ctx);
    if (ctx.inLi && tag !== 'ul' && tag !== 'ol' && tag !== 'table' && tag !== 'li') this._softBreak();
    else this.endLine();
    frame.linesAtEntry = this.lines.length;
    if (tag === 'pre') this.openLine(frame.ctx);
    return frame;
  }

  _exit(frame) {
    const tag = frame.tag;
    if (tag === 'pre') {
      // A final newline in a pre shows no extra line in browsers: it ended the last line
      // and opened none.
      this.endLine();
      return;
    }
    // a list item: an li, or a Word list paragraph
    const item = tag === 'li' || (frame.ctx.office !== null && frame.ctx.office.owner === frame.node);
    if (frame.ctx.inLi && !item && tag !== 'ul' && tag !== 'ol' && tag !== 'table') {
      this._softBreak();
      return;
    }
    this.endLine();
    if ((LINE_BLOCKS.has(tag) || item) && this.lines.length === frame.linesAtEntry) {
      this.openLine(frame.ctx);
      this.endLine();
    }
  }

  _inline(node, tag, isBlock, hasAttributes, declarations, frame) {
    const flag = TAG_FLAGS.get(tag);
    if (flag === undefined && !hasAttributes) return;
    // The inherited attributes, copied on the first change only.
    let attrs = frame.inline;
    let copied = false;
    const put = (key, value) => {
      if (value === null ? attrs[key] === undefined : attrs[key] === value) return;
      if (!copied) {
        attrs = { ...attrs };
        copied = true;
      }
      if (value === null) delete attrs[key];
      else attrs[key] = value;
    };
    if (flag !== undefined) put(flag, 'true');
    if (hasAttributes) {
      if (tag === 'a') {
        const href = this.schema.cleanLink(storableAttribute(node, 'href'));
        if (href !== null) put('link', href);
        else if (node.getAttribute('href')) this.residue = true; // a link the model refuses
      }
      if (declarations !== null) {
        for (const [property, value] of declarations) {
          if (property === 'font-weight') {
            if (BOLD_WEIGHTS.has(value)) put('bold', 'true');
            else if (PLAIN_WEIGHTS.has(value)) put('bold', null);
          } else if (property === 'font-style') {
            if (value === 'italic' || value === 'oblique') put('italic', 'true');
            else if (value === 'normal') put('italic', null);
          } else if (property === 'text-decoration' || property === 'text-decoration-line') {
            if (value.includes('underline')) put('underline', 'true');
            if (value.includes('line-through')) put('strike', 'true');
          } else if (property === 'vertical-align') {
            if (value === 'sub') put('sub', 'true');
            else if (value === 'super') put('sup', 'true');
          }
        }
      }
      if (!isBlock) {
        const classes = this.schema.filterClasses(node.getAttribute('class'));
        if (classes) put('class', classes);
        for (const [key, value] of this.schema.extraAttributes(node, storable)) put(key, value);
      }
      const author = storableAttribute(node, 'data-author');
      if (author) put('author', author);
    }
    if (copied) {
      frame.inline = Object.freeze(attrs);
      frame.inlineKey = attrsKey(attrs);
    }
  }

  _blockContext(node, tag, hasAttributes, declarations, ctx) {
    const item = OFFICE_ITEMS.has(tag) && declarations !== null ? listItem(msoListOf(declarations)) : null;
    if (!CONTEXT_ELEMENTS.has(tag) && item === null) {
      // Most blocks (p, div, ...) change nothing but, maybe, alignment and classes.
      const align = hasAttributes ? alignmentOf(node, declarations) : null;
      const classes = hasAttributes ? this.schema.filterClasses(node.getAttribute('class')) : '';
      const extra = hasAttributes ? this.schema.extraAttributes(node, storable) : [];
      const block = ctx.block;
      if ((align === null || (align ? block.align === align : block.align === undefined)) && (!classes || block.bclass === classes)
        && extra.every(([key, value]) => block[key] === value)) {
        return ctx.inBlock ? ctx : inBlockContext(ctx);
      }
    }
    const block = { ...ctx.block };
    let { inLi, listLevel, listState, inPre, office } = ctx;
    if (tag === 'ul' || tag === 'ol' || tag === 'table') office = null;
    if (item !== null && office === null && !inPre) {
      if (block.list !== undefined) {
        // in a real list already: only the marker goes (it would repeat the bullet)
        office = new OfficeItem(item[0], item[1], null);
        office.used = true;
      } else {
        // a Word list paragraph: a list item at its level, whatever it held before
        office = new OfficeItem(item[0], item[1], node);
        block.list = 'bullet'; // until resolveOfficeLists reads the marker
        if (item[1] > 1) block.indent = String(item[1]);
        listState = null;
        inLi = true;
      }
    }
    const heading = HEADINGS.get(tag);
    if (heading !== undefined) {
      block.heading = heading;
    } else if (tag === 'ul' || tag === 'ol') {
      // A nested list's lines do not inherit the alignment, classes or attributes of the
      // item holding it (render could not give them back: the list goes inside that item).
      dropBlockStyling(block);
      listLevel += 1;
      block.list = tag === 'ul' ? 'bullet' : 'number';
      // The spec bounds indent to 1..8 (render nests no deeper), so deeper lists stay at 8.
      if (listLevel > 1) block.indent = String(Math.min(listLevel, MAX_INDENT));
      else delete block.indent;
      const start = tag === 'ol' && hasAttributes ? numberOver1(node.getAttribute('start')) : '';
      listState = { start };
      inLi = false;
    } else if (tag === 'li') {
      if (block.list === undefined) block.list = 'bullet';
      inLi = true;
    } else if (tag === 'table') {
      for (const key of TABLE_RESET) delete block[key];
      for (const key of TABLE_KEYS) delete block[key];
      dropBlockStyling(block);
      block.table = `t${++this.counters.table}`;
      listLevel = 0;
      listState = null;
      inLi = false;
    } else if (tag === 'thead') {
      block.head = 'true';
    } else if (tag === 'tbody' || tag === 'tfoot') {
      delete block.head;
    } else if (tag === 'tr') {
      block.row = `r${++this.counters.row}`;
    } else if (tag === 'td' || tag === 'th') {
      block.cell = `c${++this.counters.cell}`;
      delete block.th;
      if (tag === 'th') block.th = 'true';
      for (const span of ['colspan', 'rowspan']) {
        const value = hasAttributes ? numberOver1(node.getAttribute(span)) : '';
        if (value) block[span] = value;
        else delete block[span];
      }
    } else if (tag === 'caption') {
      for (const key of TABLE_KEYS) delete block[key];
    } else if (tag === 'pre') {
      block.pre = 'true';
      inPre = true;
    } else if (tag === 'blockquote') {
      block.quote = 'true';
    }
    if (hasAttributes) {
      const align = alignmentOf(node, declarations);
      if (align) block.align = align;
      else if (align === '') delete block.align;
      const classes = this.schema.filterClasses(node.getAttribute('class'));
      if (classes) block.bclass = classes;
      for (const [key, value] of this.schema.extraAttributes(node, storable)) block[key] = value;
    }
    return Object.freeze({
      block: Object.freeze(block), inBlock: true, inPre, inLi, listLevel, listState, office, inMarker: ctx.inMarker,
    });
  }

  _image(node, parent) {
    const src = node.hasAttributes() ? this.schema.cleanImageSource(storableAttribute(node, 'src')) : null;
    const alt = storableAttribute(node, 'alt');
    if (src === null) {
      if (node.getAttribute('src')) this.residue = true; // an image the model refuses
      if (alt) this._text(alt, parent);
      return;
    }
    const embed = { embed: 'image', src };
    if (alt) embed.alt = alt;
    for (const name of ['width', 'height']) {
      const value = pyStrip(node.getAttribute(name) ?? '');
      if (DIGITS.test(value)) embed[name] = value;
    }
    this._embed(embed, parent);
  }

  // -- text and lines ---------------------------------------------------------------------

  _text(data, frame) {
    data = storable(data);
    const ctx = frame.ctx;
    if (ctx.office !== null && inMarker(ctx)) {
      ctx.office.marker += data;
      return;
    }
    if (ctx.inPre) {
      // Each newline ends the line; the text after it (if any) opens the next.
      let start = 0;
      for (;;) {
        const newline = data.indexOf('\n', start);
        const piece = newline < 0 ? data.slice(start) : data.slice(start, newline);
        if (piece.length !== 0) this._appendText(piece, frame);
        if (newline < 0) return;
        this.openLine(ctx);
        this.endLine();
        start = newline + 1;
      }
    }
    let text = COLLAPSIBLE.test(data) ? data.replace(WHITESPACE_RUN, ' ') : data;
    const line = this.line;
    // Whitespace alone starts no line.
    if (line === null && text === ' ') return;
    if (text.charCodeAt(0) === 32 && (line === null || line.pendingBreak || line.lastIsSpace || line.length === 0)) {
      // A space at the start of a line, after a block boundary inside an li, or after
      // another space, shows nothing.
      text = text.slice(1);
    }
    if (text.length !== 0) this._appendText(text, frame);
  }

  _appendText(text, frame) {
    this._flushBreak(frame);
    this._append(text, frame.inline, frame.inlineKey);
  }

  _embed(attrs, frame) {
    const all = Object.freeze({ ...frame.inline, ...attrs });
    this._flushBreak(frame);
    this._append(EMBED, all, attrsKey(all));
  }

  /** Open a line if none is open; a pending block boundary inside an li becomes a br. */
  _flushBreak(frame) {
    const line = this.openLine(frame.ctx);
    if (!line.pendingBreak) return;
    line.pendingBreak = false;
    const attrs = Object.freeze({ ...frame.inline, embed: 'br' });
    this._append(EMBED, attrs, attrsKey(attrs));
  }

  /** A block boundary inside an li's own content: a br if more content follows. */
  _softBreak() {
    if (this.line !== null && this.line.length !== 0) this.line.pendingBreak = true;
  }

  /**
   * Open a line with the block attributes of `ctx`, unless one is open; return it.
   * @param {object} ctx
   */
  openLine(ctx) {
    if (this.line === null) {
      this.line = {
        runs: [],
        keys: [],
        block: ctx.block,
        listState: ctx.listState,
        pre: ctx.inPre,
        office: ctx.office,
        length: 0,
        lastIsSpace: false,
        pendingBreak: false,
      };
    }
    return this.line;
  }

  _append(text, attrs, key) {
    const line = this.line;
    const last = line.runs.length - 1;
    if (last >= 0 && line.keys[last] === key) {
      line.runs[last][0] += text;
    } else {
      line.runs.push([text, attrs]);
      line.keys.push(key);
    }
    line.length += text.length;
    line.lastIsSpace = text.charCodeAt(text.length - 1) === 32;
  }

  /** End the open line, if any: drop what browsers do not show at its end. */
  endLine() {
    const line = this.line;
    if (line === null) return;
    this.line = null;
    const runs = line.runs;
    let last = runs[runs.length - 1];
    if (last !== undefined && last[1].embed === 'br') {
      // one trailing br (editors' <p>a<br></p>, a browser shows no line for it)
      if (last[0].length === 1) runs.pop();
      else last[0] = last[0].slice(0, -1);
      last = runs[runs.length - 1];
    }
    if (!line.pre && last !== undefined && last[1].embed === undefined && last[0].endsWith(' ')) {
      const kept = last[0].replace(/ +$/, '');
      if (kept) last[0] = kept;
      else runs.pop();
    }
    let block = line.block;
    const list = line.listState;
    if (list !== null && list.start) {
      // An ol's start goes on its first line.
      block = Object.freeze({ ...block, start: list.start });
      list.start = '';
    }
    const office = line.office;
    if (office !== null && !office.used) {
      // the item's first line carries its marker until resolveOfficeLists
      office.used = true;
      block = Object.freeze({ ...block, [OFFICE_KEY]: office.encode() });
      this.officeItems += 1;
    }
    this.lines.push([runs, block]);
  }
}

const HR_ATTRS = Object.freeze({ embed: 'hr' });
const HR_KEY = attrsKey(HR_ATTRS);

/**
 * Return the container to walk for an HTML string (its parsed body) or an element (itself).
 * @param {string|Element} html
 * @param {{window?: Window}} [options]
 * @returns {Node|null} null when the string has no body (a frameset page)
 */
export function containerOf(html, options = {}) {
  if (typeof html !== 'string') return html;
  const window = options.window ?? globalThis;
  const Parser = window.DOMParser;
  if (typeof Parser !== 'function') {
    throw new TypeError('parsing an HTML string needs a DOMParser: pass {window} (e.g. from jsdom)');
  }
  const body = new Parser().parseFromString(html, 'text/html').body;
  // document.body is a frameset in a frameset page: that page has no content.
  return body !== null && body.localName === 'body' ? body : null;
}

/**
 * Parse an HTML string or an element's content into lines.
 * @param {string|Element} html
 * @param {import('./schema.js').Schema} schema
 * @param {{window?: Window}} [options]
 * @returns {Array<[Array<[string, object]>, object]>}
 */
export function parseLines(html, schema, options = {}) {
  return parse(html, schema, options).lines;
}

/**
 * Parse an HTML string or an element's content: its lines, and whether it held anything
 * the model drops that a browser shows or runs (see LineParser.residue).
 * @param {string|Element} html
 * @param {import('./schema.js').Schema} schema
 * @param {{window?: Window}} [options]
 * @returns {{lines: Array<[Array<[string, object]>, object]>, residue: boolean}}
 */
export function parse(html, schema, options = {}) {
  const parser = new LineParser(schema);
  const container = containerOf(html, options);
  // Word's list definitions are in the page's head
  parser.styleScope = typeof html === 'string' ? container?.ownerDocument ?? null : container;
  if (container !== null) parser.walkChildren(container);
  const lines = parser.finish();
  return { lines, residue: parser.residue };
}
