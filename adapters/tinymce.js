// Adapter for TinyMCE 6 (tinymce@6.8.6, MIT). The editable root is the editor's body (in
// its iframe, or the element itself in inline mode), read and written as a contenteditable
// (see editor-body.js): remote changes replace only the blocks that changed and keep the
// caret. TinyMCE-specific:
//
// - remote changes are written inside `editor.undoManager.ignore`, so TinyMCE adds no undo
//   level for them;
// - the Undo and Redo commands (toolbar buttons, Ctrl+Z, Ctrl+Y, Ctrl+Shift+Z, which
//   TinyMCE's shortcuts turn into the same commands) are cancelled and routed to the
//   session's undo of the user's own changes;
// - toolbar commands change the body's DOM but fire no `input`: the mutation observer sees
//   them; after each command (`ExecCommand`) the session is told at once as well.

import { EditorBodyAdapter } from './editor-body.js';

export class TinyMCEAdapter extends EditorBodyAdapter {
  /**
   * @param {object} editor an initialized TinyMCE editor (after its `init` event)
   * @param {object} [options] schema options (see ContentEditableAdapter)
   */
  constructor(editor, options = {}) {
    super(editor.getBody(), options);
    this.editor = editor;
    this._onCommand = null;
  }

  static accepts(target) {
    return typeof target?.getBody === 'function' && typeof target?.undoManager?.ignore === 'function';
  }

  withoutHistory(action) {
    this.editor.undoManager.ignore(action);
  }

  observe(changed) {
    const stop = super.observe(changed);
    const onCommand = (event) => {
      if (!/^(undo|redo)$/i.test(event.command)) changed();
    };
    this.editor.on('ExecCommand', onCommand);
    return () => {
      stop();
      this.editor.off('ExecCommand', onCommand);
    };
  }

  bindUndo(undo, redo) {
    // the buttons stay usable: the session's history, not TinyMCE's, decides what they do
    const manager = this.editor.undoManager;
    manager.hasUndo = () => true;
    manager.hasRedo = () => true;
    this.editor.dispatch('ClearUndos'); // makes the buttons ask again
    this.editor.on('BeforeExecCommand', (event) => {
      const command = String(event.command).toLowerCase();
      if (command === 'undo') {
        event.preventDefault();
        undo();
      } else if (command === 'redo') {
        event.preventDefault();
        redo();
      }
    });
    // the browser's own history (a menu, a gesture) never runs on the editor's DOM
    this.element.addEventListener('beforeinput', (event) => {
      if (event.inputType === 'historyUndo') { event.preventDefault(); undo(); }
      if (event.inputType === 'historyRedo') { event.preventDefault(); redo(); }
    });
  }
}
