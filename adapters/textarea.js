// Adapter for a plain <textarea> (plain-text pads). It only knows its element: how to
// read and write its value, keep the caret, observe typing, and route undo keys.

export class TextareaAdapter {
  /** @param {HTMLTextAreaElement} element */
  constructor(element) {
    this.element = element;
    this.kind = 'text';
    this._suspended = false;
  }

  static accepts(target) { return target?.tagName === 'TEXTAREA'; }

  read() { return this.element.value.replace(/\r\n?/g, '\n'); }

  /** Replace the value, keeping the selection (already moved through the change). */
  write(text, selection) {
    if (this.element.value === text) return;
    const focused = this.element.ownerDocument.activeElement === this.element;
    this.element.value = text;
    if (selection !== null && focused) this.element.setSelectionRange(selection.start, selection.end);
  }

  getSelection() {
    return { start: this.element.selectionStart, end: this.element.selectionEnd };
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
