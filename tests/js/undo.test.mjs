// The own-changes undo history (client/js/undo.js) when a session reloads the pad: its
// entries move to the new pool and over what changed meanwhile.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { AttributePool, applyToAText, makeAText, makeSplice } from '../../client/js/changeset.js';
import { UndoManager } from '../../client/js/undo.js';

test('a reload moves the history to the new pool and over the changes between', () => {
  const oldPool = new AttributePool();
  oldPool.putAttrib(['italic', 'true']);
  const bold = oldPool.putAttrib(['bold', 'true']);
  const manager = new UndoManager(oldPool);
  const before = makeAText('hello\n');
  const typed = makeSplice(before, 5, 0, '!', `*${bold}`);
  manager.recordLocal(typed, before);
  const after = applyToAText(typed, before, oldPool);
  // the head: someone typed at the start meanwhile; its pool numbers bold otherwise
  const pool = new AttributePool();
  pool.putAttrib(['bold', 'true']);
  const since = makeSplice(after.text, 0, 0, '> ');
  const head = applyToAText(since, makeAText(after.text, after.attribs.replaceAll(`*${bold}`, '*0')), pool);
  manager.reload(since, oldPool, pool);
  assert.equal(manager.pool, pool);
  const undo = manager.undo(head);
  assert.equal(applyToAText(undo, head, pool).text, '> hello\n');
  // an entry that no longer fits is dropped, not kept to fail later
  manager.reload('Z:1>0$', pool, pool);
  assert.equal(manager.canRedo, false);
});
