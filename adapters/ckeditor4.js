// Adapter for CKEditor 4 (ckeditor4@4.22.1, the last free release). The editable root is the
// editor's body in its iframe (`editor.editable()`), read and written as a contenteditable
// (see editor-body.js): remote changes replace only the blocks that changed and keep the
// caret. CKEditor-4-specific:
//
// - remote changes are written between `lockSnapshot` and `unlockSnapshot`, so the undo
//   plugin records no step for them;
// - the `undo` and `redo` commands (toolbar buttons, and Ctrl+Z, Ctrl+Y, Ctrl+Shift+Z, the
//   undo plugin's keystrokes for them) are cancelled and routed to the session's undo of
//   the user's own changes;
// - `setData` (and switching modes) makes a new body: on `contentDom` the adapter follows
//   it, and what the new body holds is read as an edit;
// - toolbar commands change the DOM, which the mutation observer sees; after each command
//   (`afterCommandExec`) the session is told at once as well.

import { EditorBodyAdapter } from './editor-body.js';

export class CKEditor4Adapter extends EditorBodyAdapter {
  /**
   * @param {object} editor a CKEditor 4 editor in wysiwyg mode (after `instanceReady`)
   * @param {object} [options] schema options (see ContentEditableAdapter)
   */
  constructor(editor, options = {}) {
    super(editor.editable().$, options);
    this.editor = editor;
    this._bodyListeners = [];
    editor.on('contentDom', () => {
      const editable = editor.editable();
      if (editable) this.rebind(editable.$);
    });
  }

  static accepts(target) {
    return typeof target?.editable === 'function' && typeof target?.execCommand === 'function';
  }

  withoutHistory(action) {
    // dontUpdate: no snapshot is taken around the write (two serializations of the whole
    // body otherwise); the undo plugin's history is never replayed (see bindUndo)
    this.editor.fire('lockSnapshot', { dontUpdate: true });
    try {
      action();
    } finally {
      this.editor.fire('unlockSnapshot');
    }
  }

  observe(changed) {
    const stop = super.observe(changed);
    const listener = this.editor.on('afterCommandExec', (event) => {
      if (!/^(undo|redo)$/.test(event.data.name)) changed();
    });
    return () => {
      stop();
      listener.removeListener();
    };
  }

  /**
   * CKEditor 4's own paste keeps its course: its Paste from Word already makes Word's
   * list paragraphs real lists, and its paste pipeline is what its plugins extend.
   */
  observePaste() {
    return () => {};
  }

  rebind(body) {
    if (body === this.element) return;
    super.rebind(body);
    for (const attach of this._bodyListeners) attach(body);
  }

  bindUndo(undo, redo) {
    const editor = this.editor;
    const { CTRL, SHIFT } = globalThis.CKEDITOR ?? {}; // the editor's key codes: key + modifiers
    // the buttons and keys stay usable: the session's history, not the undo plugin's,
    // decides what they do
    const manager = editor.undoManager;
    if (manager) {
      manager.undoable = () => true;
      manager.redoable = () => true;
      manager.refreshState?.();
    }
    // the keys, before the keystroke handler (which skips disabled commands)
    if (CTRL !== undefined) {
      editor.on('key', (event) => {
        const code = event.data.keyCode;
        const run = code === CTRL + 90 ? undo
          : code === CTRL + 89 || code === CTRL + SHIFT + 90 ? redo : null;
        if (run === null) return;
        event.data.domEvent?.preventDefault();
        event.cancel();
        run();
      }, null, null, 1);
    }
    editor.on('beforeCommandExec', (event) => {
      if (event.data.name === 'undo') {
        event.cancel();
        undo();
      } else if (event.data.name === 'redo') {
        event.cancel();
        redo();
      }
    });
    // the browser's own history (a menu, a gesture) goes to the session too, on every body
    const attach = (body) => {
      body.addEventListener('beforeinput', (event) => {
        if (event.inputType === 'historyUndo') { event.preventDefault(); undo(); }
        if (event.inputType === 'historyRedo') { event.preventDefault(); redo(); }
      });
    };
    attach(this.element);
    this._bodyListeners.push(attach);
  }
}
