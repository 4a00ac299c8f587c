// Adapter for a bare contenteditable element (rich text). It reads the element through
// the incremental parser, writes remote changes by replacing only the top-level blocks
// whose HTML changed (so the caret stays where the user left it in every other block),
// and observes the user's edits with a MutationObserver.

import { parseBlocks } from '../client/js/document.js';

export class ContentEditableAdapter {
  /** @param {HTMLElement} element an element with contenteditable="true" */
  constructor(element, options = {}) {
    this.element = element;
    this.kind = 'rich';
    this.options = options;
    this._parsed = null;
    this._suspended = false;
  }

  static accepts(target) { return target?.isContentEditable === true; }

  /** The editor's content as a Document (re-parsing only changed blocks). */
  read() {
    this._parsed = parseBlocks(this.element, this._parsed, this.options);
    return this._parsed.document;
  }

  /** Make the element hold `html`, touching only the top-level blocks that differ. */
  write(html) {
    const scratch = this.element.ownerDocument.createElement('div');
    scratch.innerHTML = html;
    const wanted = [...scratch.childNodes];
    const present = [...this.element.childNodes];
    let start = 0;
    while (start < wanted.length && start < present.length && same(wanted[start], present[start])) start += 1;
    let endWanted = wanted.length;
    let endPresent = present.length;
    while (endWanted > start && endPresent > start && same(wanted[endWanted - 1], present[endPresent - 1])) {
      endWanted -= 1;
      endPresent -= 1;
    }
    const anchor = present[endPresent] ?? null;
    for (const node of present.slice(start, endPresent)) node.remove();
    for (const node of wanted.slice(start, endWanted)) this.element.insertBefore(node, anchor);
    this._parsed?.parser.invalidate?.(this.element);
  }

  getSelection() { return null; }

  observe(changed) {
    const { MutationObserver } = this.element.ownerDocument.defaultView;
    const observer = new MutationObserver((records) => {
      if (this._suspended) return;
      this._parsed?.parser.invalidateRecords?.(records);
      changed();
    });
    observer.observe(this.element, { childList: true, subtree: true, characterData: true, attributes: true });
    return () => observer.disconnect();
  }

  suspend(action) {
    this._suspended = true;
    try { action(); } finally { this._suspended = false; }
  }

  bindUndo(undo, redo) {
    this.element.addEventListener('beforeinput', (event) => {
      if (event.inputType === 'historyUndo') { event.preventDefault(); undo(); }
      if (event.inputType === 'historyRedo') { event.preventDefault(); redo(); }
    });
    this.element.addEventListener('keydown', (event) => {
      if (!(event.ctrlKey || event.metaKey)) return;
      const key = event.key.toLowerCase();
      if (key === 'z' && !event.shiftKey) { event.preventDefault(); undo(); }
      if ((key === 'z' && event.shiftKey) || key === 'y') { event.preventDefault(); redo(); }
    });
  }
}

function same(a, b) {
  return a.nodeType === b.nodeType && (a.outerHTML ?? a.textContent) === (b.outerHTML ?? b.textContent);
}
