// Drawing over an editor without touching its document: other users' carets and
// selections, and (for a textarea) a backdrop with authorship colors.
//
// Everything here is positioned absolutely inside the editor's host (position: relative)
// and ignores the pointer. Positions come from model offsets (the session's `carets`),
// taken into the editor's own offsets at each draw by `toEditor` (the session's
// `editorSelection`: they differ where the editor shows less than the model):
// - a contenteditable maps them to DOM ranges with its adapter's `rangeAt` (exact for the
//   text the model holds; see adapters/contenteditable.js) and measures the range;
// - a textarea has no DOM inside: a hidden "mirror" div with the same box, font and
//   wrapping holds the same text with markers at the offsets, and the markers are measured.

/** A color the page can use for `value`, or a stable color made from `seed`. */
export function safeColor(value, seed = '') {
  if (typeof value === 'string' && globalThis.CSS?.supports?.('color', value)) return value;
  let hash = 0;
  for (let i = 0; i < seed.length; i++) hash = (hash * 31 + seed.charCodeAt(i)) | 0;
  return `hsl(${Math.abs(hash) % 360} 65% 50%)`;
}

/** The absolutely positioned layer holding the caret marks, clipped to the editor's box. */
class CaretLayer {
  constructor(host, editor) {
    this.host = host;
    this.editor = editor;
    this.layer = document.createElement('div');
    this.layer.className = 'pp-carets';
    this.layer.setAttribute('aria-hidden', 'true');
    host.append(this.layer);
    this._carets = [];
    this._frame = 0;
    /** Model offsets {start, end} -> the editor's (set by the page to its session's map). */
    this.toEditor = (selection) => selection;
    const redraw = () => this.schedule();
    editor.addEventListener('scroll', redraw);
    globalThis.addEventListener('resize', redraw);
    if (globalThis.ResizeObserver) new ResizeObserver(redraw).observe(editor);
  }

  /** Show these carets ([{clientId, name, color, start, end}]) at the next frame. */
  update(carets) {
    this._carets = carets;
    this.schedule();
  }

  schedule() {
    if (this._frame) return;
    this._frame = requestAnimationFrame(() => {
      this._frame = 0;
      this.draw();
    });
  }

  draw() {
    const hostBox = this.host.getBoundingClientRect();
    const box = this.editor.getBoundingClientRect();
    // the layer covers the editor's inside (clientLeft/Top: its border)
    const left = box.left - hostBox.left + this.editor.clientLeft;
    const top = box.top - hostBox.top + this.editor.clientTop;
    Object.assign(this.layer.style, {
      left: `${left}px`,
      top: `${top}px`,
      width: `${this.editor.clientWidth}px`,
      height: `${this.editor.clientHeight}px`,
    });
    const origin = { x: box.left + this.editor.clientLeft, y: box.top + this.editor.clientTop };
    const marks = [];
    for (const caret of this._carets) {
      let measured;
      try {
        measured = this.measure(this.inEditor(caret), origin);
      } catch {
        continue; // the document changed under us; the next update draws it
      }
      if (measured === null) continue;
      marks.push(this._mark(caret, measured));
    }
    this.layer.replaceChildren(...marks);
  }

  /** A caret with its start and end in the editor's offsets. */
  inEditor(caret) {
    return { ...caret, ...this.toEditor({ start: caret.start, end: caret.end }) };
  }

  /** One user's caret (a bar with the name above) and selection (highlight boxes). */
  _mark(caret, { caretRect, selectionRects }) {
    const color = safeColor(caret.color, caret.author ?? caret.clientId);
    const mark = document.createElement('div');
    mark.className = 'pp-remote';
    mark.dataset.clientId = caret.clientId;
    mark.dataset.start = String(caret.start);
    mark.dataset.end = String(caret.end);
    for (const rect of selectionRects) {
      const box = document.createElement('div');
      box.className = 'pp-remote-selection';
      Object.assign(box.style, {
        left: `${rect.x}px`, top: `${rect.y}px`, width: `${rect.width}px`, height: `${rect.height}px`,
        backgroundColor: color,
      });
      mark.append(box);
    }
    const bar = document.createElement('div');
    bar.className = 'pp-remote-caret';
    Object.assign(bar.style, {
      left: `${caretRect.x}px`, top: `${caretRect.y}px`, height: `${caretRect.height}px`, backgroundColor: color,
    });
    const flag = document.createElement('span');
    flag.className = 'pp-remote-name';
    flag.textContent = caret.name;
    flag.style.backgroundColor = color;
    bar.append(flag);
    mark.append(bar);
    return mark;
  }
}

/** Carets over a contenteditable (or any editor whose adapter has `rangeAt`). */
export class RangeCarets extends CaretLayer {
  constructor(host, editor, adapter) {
    super(host, editor);
    this.adapter = adapter;
  }

  measure(caret, origin) {
    const range = this.adapter.rangeAt(caret.end);
    const caretRect = caretBox(range);
    if (caretRect === null) return null;
    const selectionRects = [];
    if (caret.end > caret.start) {
      const selection = this.adapter.rangeAt(caret.start, caret.end);
      for (const rect of selection.getClientRects()) {
        if (rect.width > 0) selectionRects.push(shift(rect, origin));
      }
    }
    return { caretRect: shift(caretRect, origin), selectionRects };
  }
}

/**
 * Carets over an editor whose document is in an iframe (WYMeditor, TinyMCE, CKEditor 4):
 * the layer covers the iframe, and the ranges' boxes are already in its viewport's
 * coordinates (the iframe's padding, if any, is left out).
 */
export class FrameCarets extends RangeCarets {
  constructor(host, frame, adapter) {
    super(host, frame, adapter);
    const redraw = () => this.schedule();
    this._watch = (window) => window?.addEventListener('scroll', redraw);
    this._watch(frame.contentWindow);
    // the frame's window changes if its page is loaded again
    frame.addEventListener('load', () => this._watch(frame.contentWindow));
  }

  measure(caret) {
    const style = getComputedStyle(this.editor);
    const origin = { x: -(parseFloat(style.paddingLeft) || 0), y: -(parseFloat(style.paddingTop) || 0) };
    return super.measure(caret, origin);
  }
}

/** The box of a collapsed range: its own rect, or that of what stands at it (an empty line). */
function caretBox(range) {
  const rects = range.getClientRects();
  if (rects.length > 0) return rects[rects.length - 1];
  const container = range.startContainer;
  const node = container.nodeType === 1 ? (container.childNodes[range.startOffset] ?? container) : container.parentNode;
  const element = node.nodeType === 1 ? node : node.parentNode;
  const box = element.getBoundingClientRect();
  const style = getComputedStyle(element);
  const lineHeight = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.2 || box.height;
  const padding = node === container ? parseFloat(style.paddingLeft) || 0 : 0;
  return { x: box.left + padding, y: box.top, width: 0, height: Math.min(box.height || lineHeight, lineHeight) };
}

function shift(rect, origin) {
  return { x: rect.x - origin.x, y: rect.y - origin.y, width: rect.width, height: rect.height };
}

// The properties a mirror copies from its textarea so that its text wraps the same.
const MIRRORED = [
  'boxSizing', 'fontFamily', 'fontSize', 'fontWeight', 'fontStyle', 'fontVariant', 'fontStretch',
  'letterSpacing', 'wordSpacing', 'lineHeight', 'textTransform', 'textIndent', 'tabSize',
  'paddingTop', 'paddingRight', 'paddingBottom', 'paddingLeft', 'direction', 'textAlign',
];

/** A div laid out like the textarea's inside (same font, padding, width and wrapping). */
function mirrorOf(textarea, element) {
  const style = getComputedStyle(textarea);
  for (const property of MIRRORED) element.style[property] = style[property];
  const paddingX = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
  Object.assign(element.style, {
    boxSizing: 'content-box',
    // clientWidth leaves out the border and the scroll bar, as the textarea's wrapping does
    width: `${textarea.clientWidth - paddingX}px`,
    whiteSpace: 'pre-wrap',
    overflowWrap: 'break-word',
    wordBreak: style.wordBreak,
    border: '0',
    margin: '0',
  });
  return element;
}

/** Carets over a textarea, measured in a hidden mirror. */
export class TextareaCarets extends CaretLayer {
  constructor(host, textarea) {
    super(host, textarea);
    this.textarea = textarea;
    this.mirror = document.createElement('div');
    this.mirror.className = 'pp-mirror';
    this.mirror.setAttribute('aria-hidden', 'true');
    host.append(this.mirror);
  }

  draw() {
    // one layout for every caret: the text with a marker at each start and end
    const text = this.textarea.value;
    mirrorOf(this.textarea, this.mirror);
    const cuts = new Map();
    for (const caret of this._carets.map((each) => this.inEditor(each))) {
      for (const at of [caret.start, caret.end]) {
        const clamped = Math.max(0, Math.min(at, text.length));
        if (!cuts.has(clamped)) cuts.set(clamped, null);
      }
    }
    const positions = [...cuts.keys()].sort((a, b) => a - b);
    const pieces = [];
    let from = 0;
    for (const position of positions) {
      pieces.push(document.createTextNode(text.slice(from, position)));
      const marker = document.createElement('span');
      marker.textContent = '\u200b';
      cuts.set(position, marker);
      pieces.push(marker);
      from = position;
    }
    pieces.push(document.createTextNode(`${text.slice(from)}\u200b`));
    this.mirror.replaceChildren(...pieces);
    this._cuts = cuts;
    this._mirrorBox = this.mirror.getBoundingClientRect();
    super.draw();
  }

  measure(caret, origin) {
    void origin;
    const box = this._mirrorBox;
    const scrollX = this.textarea.scrollLeft;
    const scrollY = this.textarea.scrollTop;
    const at = (offset) => {
      const marker = this._cuts.get(Math.max(0, Math.min(offset, this.textarea.value.length)));
      const rect = marker.getClientRects()[0] ?? marker.getBoundingClientRect();
      return { x: rect.left - box.left - scrollX, y: rect.top - box.top - scrollY, width: 0, height: rect.height };
    };
    const caretRect = at(caret.end);
    const selectionRects = [];
    if (caret.end > caret.start) {
      const range = document.createRange();
      range.setStartAfter(this._cuts.get(caret.start));
      range.setEndBefore(this._cuts.get(caret.end));
      for (const rect of range.getClientRects()) {
        if (rect.width > 0) {
          selectionRects.push({
            x: rect.left - box.left - scrollX, y: rect.top - box.top - scrollY, width: rect.width, height: rect.height,
          });
        }
      }
    }
    return { caretRect, selectionRects };
  }
}

/**
 * Authorship colors for a textarea: a div behind it (the textarea's background turns
 * transparent) with the same text, each author's runs in a span data-author, colored by
 * the same style sheet as the rich editors.
 */
export class TextareaBackdrop {
  constructor(host, textarea) {
    this.host = host;
    this.textarea = textarea;
    this.element = document.createElement('div');
    this.element.className = 'pp-backdrop';
    this.element.setAttribute('aria-hidden', 'true');
    host.prepend(this.element);
    this._runs = [];
    this._frame = 0;
    textarea.addEventListener('scroll', () => this._scroll());
  }

  /** Show `runs` ([[text, author|null], ...], the whole text) at the next frame. */
  update(runs) {
    this._runs = runs;
    if (this._frame) return;
    this._frame = requestAnimationFrame(() => {
      this._frame = 0;
      this.draw();
    });
  }

  draw() {
    if (!this.host.classList.contains('pp-show-authors')) {
      this.element.replaceChildren();
      return;
    }
    const box = this.textarea.getBoundingClientRect();
    const hostBox = this.host.getBoundingClientRect();
    mirrorOf(this.textarea, this.element);
    Object.assign(this.element.style, {
      left: `${box.left - hostBox.left + this.textarea.clientLeft}px`,
      top: `${box.top - hostBox.top + this.textarea.clientTop}px`,
      height: `${this.textarea.clientHeight - parseFloat(this.element.style.paddingTop) - parseFloat(this.element.style.paddingBottom)}px`,
    });
    const pieces = this._runs.map(([text, author]) => {
      if (!author) return document.createTextNode(text);
      const span = document.createElement('span');
      span.dataset.author = author;
      span.textContent = text;
      return span;
    });
    pieces.push(document.createTextNode('\u200b'));
    this.element.replaceChildren(...pieces);
    this._scroll();
  }

  _scroll() {
    this.element.scrollTop = this.textarea.scrollTop;
    this.element.scrollLeft = this.textarea.scrollLeft;
  }
}
