// Adapter for a plain <textarea> (plain-text pads). It only knows its element: how to
// read and write its value, keep the caret, observe typing, and route undo keys.

import { routeUndoKeys } from './undo-keys.js';

export class TextareaAdapter {
  /** @param {HTMLTextAreaElement} element */
  constructor(element) {
    this.element = element;
    this.kind = 'text';
    this._suspended = false;
  }

  static accepts(target) { return target?.tagName === 'TEXTAREA'; }

  read() { return this.element.value.replace(/\r\n?/g, '\n'); }

  /**
   * Replace the value, keeping the selection (already moved through the change). Only the
   * part that differs is replaced. In a focused textarea that is done with the browser's
   * own editing command (insertText), which lays out only the lines it touched; assigning
   * the value, or setRangeText, lays out the whole text again (about 15 ms for 100 KB).
   */
  write(text, selection) {
    const element = this.element;
    const old = element.value;
    if (old === text) return;
    const document = element.ownerDocument;
    const focused = document.activeElement === element;
    let start = 0;
    const shortest = Math.min(old.length, text.length);
    while (start < shortest && old.charCodeAt(start) === text.charCodeAt(start)) start += 1;
    let end = 0;
    while (end < shortest - start
      && old.charCodeAt(old.length - 1 - end) === text.charCodeAt(text.length - 1 - end)) end += 1;
    const replacement = text.slice(start, text.length - end);
    if (!(focused && this._edit(start, old.length - end, replacement, text))) {
      if (typeof element.setRangeText === 'function') {
        element.setRangeText(replacement, start, old.length - end, 'preserve');
      } else {
        element.value = text;
      }
    }
    if (selection !== null && focused) element.setSelectionRange(selection.start, selection.end);
  }

  /** Replace from..to with `replacement` by the editing command; false if it did not. */
  _edit(from, to, replacement, expected) {
    const element = this.element;
    const document = element.ownerDocument;
    if (typeof document.execCommand !== 'function') return false;
    const { scrollTop, scrollLeft } = element;
    element.setSelectionRange(from, to);
    let done;
    try {
      done = replacement
        ? document.execCommand('insertText', false, replacement)
        : document.execCommand('delete', false);
    } catch {
      done = false;
    }
    if (!done || element.value !== expected) {
      // not applied, or applied otherwise (the browser may rewrite text it inserts)
      if (done) element.value = expected;
      else return false;
    }
    // the command scrolls to where it edited; the user stays where they were reading
    if (element.scrollTop !== scrollTop) element.scrollTop = scrollTop;
    if (element.scrollLeft !== scrollLeft) element.scrollLeft = scrollLeft;
    return true;
  }

  getSelection() {
    return { start: this.element.selectionStart, end: this.element.selectionEnd };
  }

  /** Call `changed` when the user may have moved the caret or the selection. */
  observeSelection(changed) {
    const element = this.element;
    const document = element.ownerDocument;
    const onElement = () => changed();
    const onDocument = () => { if (document.activeElement === element) changed(); };
    const events = ['select', 'keyup', 'mouseup', 'input', 'focus', 'selectionchange'];
    for (const type of events) element.addEventListener(type, onElement);
    document.addEventListener('selectionchange', onDocument);
    return () => {
      for (const type of events) element.removeEventListener(type, onElement);
      document.removeEventListener('selectionchange', onDocument);
    };
  }

  /** Call `changed` after each user edit; returns a function that stops observing. */
  observe(changed) {
    const onInput = () => { if (!this._suspended) changed(); };
    this.element.addEventListener('input', onInput);
    return () => this.element.removeEventListener('input', onInput);
  }

  /** Run `action` with observation off (for remote changes). */
  suspend(action) {
    this._suspended = true;
    try { action(); } finally { this._suspended = false; }
  }

  /** Route the browser's undo and redo (keys, menu) to the session's own-changes history. */
  bindUndo(undo, redo) {
    routeUndoKeys(this.element, undo, redo);
  }
}
