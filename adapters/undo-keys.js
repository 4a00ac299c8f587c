// The browser's own ways to undo in an editable element (Ctrl/Cmd+Z, Ctrl+Y,
// Ctrl/Cmd+Shift+Z, and the Edit menu's historyUndo/historyRedo inputs), routed to the
// session's history of the user's own changes instead of the browser's, which would
// also take back what other people typed.

/**
 * @param {EventTarget} element the editable element (or an editor's body)
 * @param {() => void} undo
 * @param {() => void} redo
 */
export function routeUndoKeys(element, undo, redo) {
  element.addEventListener('beforeinput', (event) => {
    if (event.inputType === 'historyUndo') { event.preventDefault(); undo(); }
    if (event.inputType === 'historyRedo') { event.preventDefault(); redo(); }
  });
  element.addEventListener('keydown', (event) => {
    if (!(event.ctrlKey || event.metaKey)) return;
    const key = event.key.toLowerCase();
    if (key === 'z' && !event.shiftKey) { event.preventDefault(); undo(); }
    if ((key === 'z' && event.shiftKey) || key === 'y') { event.preventDefault(); redo(); }
  });
}
