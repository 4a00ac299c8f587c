// Undo and redo of the user's own changes only. Each entry is the inverse of one of the
// user's changes, kept relative to the current document: when any later change (the
// user's or a remote one) is applied, every entry is rebased over it with follow, so
// undoing never reverts other people's work.

import { follow, inverse, moveToPool } from './changeset.js';

export class UndoManager {
  /** @param {import('./changeset.js').AttributePool} pool the document's pool */
  constructor(pool, limit = 500) {
    this.pool = pool;
    this.limit = limit;
    this.undoStack = [];
    this.redoStack = [];
  }

  /** Record the user's `changeset`, made on `before` (an AText); clears redo. */
  recordLocal(changeset, before) {
    this._rebase(this.undoStack, changeset);
    this.undoStack.push(inverse(changeset, before, this.pool));
    if (this.undoStack.length > this.limit) this.undoStack.shift();
    this.redoStack = [];
  }

  /** A change by someone else was applied: rebase every entry over it. */
  recordRemote(changeset) {
    this._rebase(this.undoStack, changeset);
    this._rebase(this.redoStack, changeset);
  }

  /**
   * The document was loaded again: `changeset` (in `pool`) turns the document every entry
   * applies to into the new one, whose pool is `pool` (the entries cite `oldPool`). Every
   * entry moves over; one that no longer applies is dropped.
   */
  reload(changeset, oldPool, pool) {
    const move = (stack) => stack.flatMap((entry) => {
      try {
        return [follow(changeset, moveToPool(entry, oldPool, pool), false, pool)];
      } catch {
        return [];
      }
    });
    this.undoStack = move(this.undoStack);
    this.redoStack = move(this.redoStack);
    this.pool = pool;
  }

  get canUndo() { return this.undoStack.length > 0; }

  get canRedo() { return this.redoStack.length > 0; }

  /**
   * Return the changeset that undoes the user's last change (to apply as a local change
   * on `current`, the document as it is now), or null. Call `applied` with it next.
   */
  undo(current) { return this._take(this.undoStack, this.redoStack, current); }

  /** The twin of `undo` for the redo stack. */
  redo(current) { return this._take(this.redoStack, this.undoStack, current); }

  _take(from, to, current) {
    const changeset = from.pop();
    if (changeset === undefined) return null;
    this._rebase(from, changeset);
    this._rebase(to, changeset);
    to.push(inverse(changeset, current, this.pool));
    return changeset;
  }

  _rebase(stack, changeset) {
    for (let i = 0; i < stack.length; i++) stack[i] = follow(changeset, stack[i], false, this.pool);
  }
}
