// Other users' carets and selections, drawn over an editor without touching its document.
//
//   const carets = showCarets(session);   // attach() does this unless {carets: false}
//   carets.remove();                      // or session.detach(), which removes it too
//
// A layer is absolutely positioned over the editor's inside (in `host`, by default the
// editor's parent element, or its iframe's) and ignores the pointer. It is placed by
// measuring where it lands, so the host needs no `position: relative` of its own. Each
// caret comes from the session in model offsets and is taken into the editor's own offsets
// at each draw (`session.editorSelection`: they differ where the editor shows less than the
// model), then measured:
// - a rich editor maps offsets to DOM ranges with its adapter's `rangeAt` (exact for the
//   text the model holds; see adapters/contenteditable.js) and measures the range;
// - an editor in an iframe (TinyMCE, CKEditor 4, WYMeditor) is measured the same way, in
//   the iframe's viewport, and the layer covers the iframe;
// - a textarea has no DOM inside: a hidden "mirror" div with the same box, font and
//   wrapping holds the same text with markers at the offsets, and the markers are measured.
//
// Classes, for a page's own style sheet: `.pp-carets` (the layer), `.pp-remote` (one user,
// with data-client-id, data-start, data-end), `.pp-remote-caret` (the bar, its color
// inline), `.pp-remote-name` (the name above it), `.pp-remote-selection` (highlight boxes).
// What carets need to be right is set inline; the looks of the name come from a style sheet
// of the lowest specificity (`:where`), which any rule of the page's overrides.

/** The looks of the marks; a page's own rules win (`:where` has no specificity). */
const LOOKS = `
:where(.pp-remote-name) {
  position: absolute; bottom: 100%; left: -1px; white-space: nowrap; color: white;
  font: 600 11px/1.4 system-ui, sans-serif; padding: 0 4px; border-radius: 3px 3px 3px 0;
}
`;

/** A color the page can use for `value`, or a stable color made from `seed`. */
export function safeColor(value, seed = '') {
  if (typeof value === 'string' && globalThis.CSS?.supports?.('color', value)) return value;
  let hash = 0;
  for (let i = 0; i < seed.length; i++) hash = (hash * 31 + seed.charCodeAt(i)) | 0;
  return `hsl(${Math.abs(hash) % 360} 65% 50%)`;
}

/**
 * Draw the other users' carets and selections of `session` over its editor, from now until
 * `remove()` or `session.detach()`.
 * @param {import('./session.js').Session} session
 * @param {{host?: HTMLElement}} [options] `host`: the element the layer goes into (default:
 *   the parent of the editor, or of the iframe holding it)
 * @returns {{layer: CaretLayer, remove: () => void}}
 */
export function showCarets(session, options = {}) {
  const adapter = session.adapter;
  const frame = frameOf(adapter.element);
  const host = options.host ?? (frame ?? adapter.element).parentElement;
  let layer;
  if (adapter.kind === 'text') layer = new TextareaCarets(host, adapter.element);
  else if (frame !== null) layer = new FrameCarets(host, frame, adapter);
  else layer = new RangeCarets(host, adapter.element, adapter);
  layer.toEditor = (selection) => session.editorSelection(selection);
  const onCarets = (carets) => layer.update(carets);
  // the text moved: the same offsets stand elsewhere
  const onUpdate = () => layer.schedule();
  const remove = () => {
    session.off('carets', onCarets).off('update', onUpdate).off('detach', remove);
    layer.remove();
  };
  session.on('carets', onCarets).on('update', onUpdate).on('detach', remove);
  layer.update(session.carets);
  return { layer, remove };
}

/** The iframe an element is in (an editor's body), or null if it is in the page itself. */
function frameOf(element) {
  const view = element.ownerDocument.defaultView;
  try {
    return view !== null && view.parent !== view ? view.frameElement : null;
  } catch {
    return null; // a frame of another origin: nothing to measure it by
  }
}

/** Add the marks' looks to `document` once. */
function addLooks(document) {
  if (document.querySelector('style[data-policypad-carets]') !== null) return;
  const style = document.createElement('style');
  style.dataset.policypadCarets = '';
  style.textContent = LOOKS;
  document.head.prepend(style); // first: the page's own sheets come later and win ties
}

/** The absolutely positioned layer holding the caret marks, clipped to the editor's box. */
export class CaretLayer {
  /**
   * @param {HTMLElement} host where the layer goes
   * @param {HTMLElement} editor the element the layer covers (its inside, without borders)
   */
  constructor(host, editor) {
    this.host = host;
    this.editor = editor;
    this.document = host.ownerDocument;
    this.window = this.document.defaultView;
    addLooks(this.document);
    this.layer = this.document.createElement('div');
    this.layer.className = 'pp-carets';
    this.layer.setAttribute('aria-hidden', 'true');
    Object.assign(this.layer.style, {
      position: 'absolute', left: '0px', top: '0px', width: '0px', height: '0px',
      overflow: 'hidden', pointerEvents: 'none', zIndex: '2',
    });
    host.append(this.layer);
    this._carets = [];
    this._frame = 0;
    /** Model offsets {start, end} -> the editor's (showCarets sets the session's map). */
    this.toEditor = (selection) => selection;
    const redraw = () => this.schedule();
    this._unwatch = [];
    this._watch(editor, 'scroll', redraw);
    this._watch(this.window, 'resize', redraw);
    // a scroll anywhere in the page may move the editor within the layer's containing block
    this._watch(this.document, 'scroll', redraw, { capture: true, passive: true });
    if (this.window.ResizeObserver) {
      const observer = new this.window.ResizeObserver(redraw);
      observer.observe(editor);
      this._unwatch.push(() => observer.disconnect());
    }
  }

  _watch(target, type, listener, options) {
    target?.addEventListener(type, listener, options);
    this._unwatch.push(() => target?.removeEventListener(type, listener, options));
  }

  /** Show these carets ([{clientId, name, color, start, end}]) at the next frame. */
  update(carets) {
    this._carets = carets;
    this.schedule();
  }

  schedule() {
    if (this._frame || this._removed) return;
    const frame = this.window.requestAnimationFrame ?? ((draw) => this.window.setTimeout(draw, 16));
    this._frame = frame(() => {
      this._frame = 0;
      if (!this._removed) this.draw();
    });
  }

  /** Take the layer and its listeners away. */
  remove() {
    this._removed = true;
    for (const unwatch of this._unwatch) unwatch();
    this.layer.remove();
  }

  draw() {
    const box = this.editor.getBoundingClientRect();
    const placed = this.layer.getBoundingClientRect();
    // where the layer's left and top put it now, moved by what it is off: exact in any
    // containing block (positioned host or not, scrolled or not)
    const left = parseFloat(this.layer.style.left) + box.left + this.editor.clientLeft - placed.left;
    const top = parseFloat(this.layer.style.top) + box.top + this.editor.clientTop - placed.top;
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
    const make = (className, style) => {
      const element = this.document.createElement('div');
      element.className = className;
      Object.assign(element.style, { position: 'absolute', ...style });
      return element;
    };
    const mark = make('pp-remote', {});
    mark.dataset.clientId = caret.clientId;
    mark.dataset.start = String(caret.start);
    mark.dataset.end = String(caret.end);
    for (const rect of selectionRects) {
      mark.append(make('pp-remote-selection', {
        left: `${rect.x}px`, top: `${rect.y}px`, width: `${rect.width}px`, height: `${rect.height}px`,
        backgroundColor: color, opacity: '0.22',
      }));
    }
    const bar = make('pp-remote-caret', {
      left: `${caretRect.x}px`, top: `${caretRect.y}px`, height: `${caretRect.height}px`,
      width: '2px', marginLeft: '-1px', backgroundColor: color,
    });
    const flag = this.document.createElement('span');
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
    let watched = null;
    const watch = () => {
      watched?.removeEventListener('scroll', redraw);
      watched = frame.contentWindow;
      watched?.addEventListener('scroll', redraw);
    };
    watch();
    // the frame's window changes if its page is loaded again
    this._watch(frame, 'load', watch);
    this._unwatch.push(() => watched?.removeEventListener('scroll', redraw));
  }

  measure(caret) {
    const style = this.window.getComputedStyle(this.editor);
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
  const style = element.ownerDocument.defaultView.getComputedStyle(element);
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

/**
 * Lay `element` out like the textarea's inside (same font, padding, width and wrapping);
 * returns it. (Also for a backdrop behind a textarea: see the demo's authorship colors.)
 */
export function mirrorOf(textarea, element) {
  const style = textarea.ownerDocument.defaultView.getComputedStyle(textarea);
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
    this.mirror = this.document.createElement('div');
    this.mirror.className = 'pp-mirror';
    this.mirror.setAttribute('aria-hidden', 'true');
    // laid out but neither seen nor scrollable to: its boxes measure, its height (the whole
    // text's) adds nothing to what the page can scroll
    Object.assign(this.mirror.style, {
      position: 'absolute', left: '0px', top: '0px', height: '0px', overflow: 'hidden',
      visibility: 'hidden', pointerEvents: 'none',
    });
    host.append(this.mirror);
  }

  remove() {
    super.remove();
    this.mirror.remove();
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
      pieces.push(this.document.createTextNode(text.slice(from, position)));
      const marker = this.document.createElement('span');
      marker.textContent = '\u200b';
      cuts.set(position, marker);
      pieces.push(marker);
      from = position;
    }
    pieces.push(this.document.createTextNode(`${text.slice(from)}\u200b`));
    this.mirror.replaceChildren(...pieces);
    this._cuts = cuts;
    this._mirrorBox = this.mirror.getBoundingClientRect();
    super.draw();
  }

  measure(caret) {
    const box = this._mirrorBox;
    const scrollX = this.textarea.scrollLeft;
    const scrollY = this.textarea.scrollTop;
    const length = this.textarea.value.length;
    const at = (offset) => {
      const marker = this._cuts.get(Math.max(0, Math.min(offset, length)));
      const rect = marker.getClientRects()[0] ?? marker.getBoundingClientRect();
      return { x: rect.left - box.left - scrollX, y: rect.top - box.top - scrollY, width: 0, height: rect.height };
    };
    const caretRect = at(caret.end);
    const selectionRects = [];
    if (caret.end > caret.start) {
      const range = this.document.createRange();
      range.setStartAfter(this._cuts.get(Math.max(0, Math.min(caret.start, length))));
      range.setEndBefore(this._cuts.get(Math.max(0, Math.min(caret.end, length))));
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
