// Splitting a changeset for messages too large (client/js/changeset/split.js): the two
// parts composed are the whole, on random documents and changes, within the limits asked.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';

import { AttributePool, Builder, applyToAText, makeAText, unpack } from '../../client/js/changeset.js';
import { splitChangeset } from '../../client/js/changeset/split.js';

const pieces = fc.constantFrom('a', 'bc', '\n', 'é', '😀', 'line\n', '\n\n', 'xyz');

test('the two parts of a split make the whole, within the limits', () => {
  fc.assert(
    fc.property(
      fc.array(pieces, { minLength: 1, maxLength: 12 }),
      fc.array(fc.record({ kind: fc.constantFrom('keep', 'bold', 'remove', 'insert'), size: fc.nat(6), text: fc.array(pieces, { maxLength: 8 }) }), { maxLength: 10 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 6 }),
      (start, steps, maxInserted, maxOps) => {
        const pool = new AttributePool();
        const before = makeAText(`${start.join('')}\n`);
        const text = before.text;
        const builder = new Builder(text.length);
        let at = 0;
        for (const step of steps) {
          const room = text.length - 1 - at; // never the final newline
          let size = Math.min(step.size, room);
          if (size > 0 && /[\ud800-\udbff]/.test(text[at + size - 1])) size -= 1;
          if (step.kind === 'insert') {
            builder.insert(step.text.join(''), step.size % 2 ? [['italic', 'true']] : null, pool);
          } else if (size > 0) {
            const piece = text.slice(at, at + size);
            if (step.kind === 'remove') builder.removeText(piece);
            else builder.keepText(piece, step.kind === 'bold' ? [['bold', 'true']] : null, pool);
            at += size;
          }
        }
        const whole = builder.toString();
        const expected = applyToAText(whole, before, pool);
        let cs = whole;
        let doc = before;
        for (let parts = 0; cs !== null; parts++) {
          assert.ok(parts < 1000, 'a split makes progress');
          const [first, second] = splitChangeset(cs, maxInserted, maxOps);
          if (second !== null) {
            const parsed = unpack(first);
            assert.ok(parsed.charBank.length <= Math.max(maxInserted, 2), first);
            const changes = [...parsed.ops].filter((op) => op.opcode !== '=' || op.attribs).length;
            assert.ok(changes <= maxOps + 1, first); // + the rest of an insert split by newlines
          }
          doc = applyToAText(first, doc, pool);
          cs = second;
        }
        assert.deepEqual(doc.toJsonable(), expected.toJsonable());
      },
    ),
    { numRuns: 500 },
  );
});

test('a change within the limits is not split', () => {
  const cs = new Builder(3).keep(1).insert('xy').toString();
  assert.deepEqual(splitChangeset(cs, 10), [cs, null]);
});
