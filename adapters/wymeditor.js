// Adapter for WYMeditor 1.0.0-b7 (jQuery). Its editable root is the body of a designMode
// iframe (`wym._doc.body`), so this is the contenteditable adapter pointed at that body:
// the same incremental reads, block-wise writes that keep the caret, selection mapping and
// MutationObserver (of the iframe's window, which sees typing and toolbar commands alike:
// WYMeditor has no change event of its own).
//
// What WYMeditor adds, and how it is handled:
// - Its undo and redo (toolbar buttons, which run the browser's native undo in the
//   iframe, and Ctrl+Z / Ctrl+Y / Ctrl+Shift+Z) go to the session's own-changes undo
//   instead. WYMeditor has no undo history of its own; the browser's native one never
//   sees remote changes either, since they are written with DOM calls, not editing
//   commands.
// - It puts `<br class="wym-blocking-element-spacer wym-editor-only">` between tables,
//   blockquotes and pre blocks (caret stops for its own navigation). A bare br between
//   blocks is an empty line to the model, so these spacers would become edits, and come
//   back after every remote write: a normalization ping-pong. The adapter turns the
//   spacers off for its instance.
// - Chromium makes a div where Enter starts a line after a heading (its default paragraph
//   separator); WYMeditor's keyup handler turns the div into a p and then reads the div,
//   gone by then, and throws on every such Enter. The adapter makes the iframe's document
//   start paragraphs instead.

import { ContentEditableAdapter } from './contenteditable.js';

/** WYMeditor's command names for its undo and redo buttons. */
const UNDO = 'Undo';
const REDO = 'Redo';

export class WymeditorAdapter extends ContentEditableAdapter {
  /**
   * @param {object} wym a ready WYMeditor instance (the argument of its `postInit`)
   * @param {object} [options] schema options, as for ContentEditableAdapter
   */
  constructor(wym, options = {}) {
    super(wym._doc.body, options);
    this.wym = wym;
    // no spacer brs: they would be read as empty lines (see above)
    wym.spaceBlockingElements = () => {};
    for (const spacer of wym._doc.body.querySelectorAll('br.wym-editor-only')) spacer.remove();
    // new lines as p, never div (see above)
    wym._doc.execCommand?.('defaultParagraphSeparator', false, 'p');
  }

  /** A WYMeditor instance (what `jQuery(textarea).wymeditor()` hands to `postInit`). */
  static accepts(target) {
    return typeof target?.xhtml === 'function' && target?._doc?.body != null;
  }

  /** The iframe holding the editable body (for drawing over it). */
  get frame() { return this.wym._iframe; }

  /** Route the toolbar's Undo/Redo and the undo keys to `undo` and `redo`. */
  bindUndo(undo, redo) {
    super.bindUndo(undo, redo); // keys and the browser's own history inputs in the body
    const wym = this.wym;
    const exec = wym.exec;
    wym.exec = function execRouted(command, ...rest) {
      if (command === UNDO) return undo();
      if (command === REDO) return redo();
      return exec.call(this, command, ...rest);
    };
  }
}
