// Laws of the changeset algebra, checked with fast-check on random attributed
// documents and random changesets built from splices and attribute changes, plus
// unit tests for the errors and the API's smaller promises.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  AText,
  AttributePool,
  Builder,
  ChangesetError,
  applyToAText,
  applyToText,
  changesetFromTexts,
  characterRangeFollow,
  checkRep,
  compose,
  composeAttributes,
  follow,
  followAttributes,
  identity,
  inverse,
  isIdentity,
  makeAText,
  makeAttributeChange,
  makeSplice,
  moveAttribsToPool,
  moveToPool,
  pack,
  unpack,
} from '../../client/js/changeset.js';

const RUNS = { numRuns: 1000 };

// -- generators ---------------------------------------------------------------

// Pairs inserted text may carry, and pairs an attribute change may set ("" removes).
const INSERT_PAIRS = [[['author', 'a']], [['author', 'b']], [['author', 'a'], ['bold', 'true']], [['italic', 'true']], null];
const CHANGE_PAIRS = [
  [['bold', 'true']],
  [['bold', '']],
  [['italic', 'true']],
  [['author', 'b'], ['bold', 'true']],
  [['author', 'a'], ['italic', '']],
];

const unit = fc.constantFrom('a', 'b', ' ', 'é', '😀');
const lineArb = fc.string({ unit, maxLength: 8 });
const textArb = fc.string({ unit: fc.constantFrom('a', 'b', '\n', 'é', '😀'), maxLength: 6 });

/** One edit: fractions pick the range, so a spec fits any document. */
const editArb = fc.record({
  kind: fc.constantFrom('splice', 'splice', 'attr'),
  a: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
  b: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
  text: textArb,
  pairs: fc.nat(100),
});

/** A changeset spec: one to three edits, composed. */
const changeArb = fc.array(editArb, { minLength: 1, maxLength: 3 });

const docArb = fc.record({
  lines: fc.array(lineArb, { minLength: 1, maxLength: 8 }),
  marks: fc.array(editArb, { maxLength: 3 }),
});

function newPool() {
  const pool = new AttributePool();
  for (const pairs of [...INSERT_PAIRS, ...CHANGE_PAIRS]) for (const pair of pairs ?? []) pool.putAttrib(pair);
  return pool;
}

/** Unit positions of `text` that do not split a surrogate pair, below `limit`. */
function boundaries(text, limit) {
  const out = [];
  for (let i = 0; i <= limit; i++) {
    const before = text.charCodeAt(i - 1);
    if (!(before >= 0xd800 && before <= 0xdbff)) out.push(i);
  }
  return out;
}

function pick(list, fraction) {
  return list[Math.min(list.length - 1, Math.floor(fraction * list.length))];
}

/** Return the changeset of one edit spec on `atext` (never touching the final newline). */
function editChangeset(atext, edit, pool) {
  const text = atext.text;
  const spots = boundaries(text, text.length - 1);
  let start = pick(spots, edit.a);
  let end = pick(spots, edit.b);
  if (start > end) [start, end] = [end, start];
  if (edit.kind === 'attr') {
    return makeAttributeChange(atext, start, end, CHANGE_PAIRS[edit.pairs % CHANGE_PAIRS.length], pool);
  }
  const pairs = INSERT_PAIRS[edit.pairs % INSERT_PAIRS.length];
  return makeSplice(atext, start, end - start, edit.text, pairs, pool);
}

/** Return [changeset, resulting AText] for a changeset spec on `atext`. */
function buildChange(atext, spec, pool) {
  let cs = identity(atext.length);
  let current = atext;
  for (const edit of spec) {
    const step = editChangeset(current, edit, pool);
    checkRep(step, pool);
    cs = compose(cs, step, pool);
    current = applyToAText(step, current, pool);
  }
  return [cs, current];
}

function buildDoc(spec, pool) {
  let atext = makeAText(`${spec.lines.join('\n')}\n`);
  for (const mark of spec.marks) {
    atext = applyToAText(editChangeset(atext, { ...mark, kind: 'attr' }, pool), atext, pool);
  }
  return atext;
}

function sameDoc(actual, expected) {
  assert.equal(actual.text, expected.text);
  assert.equal(actual.attribs, expected.attribs);
}

// -- laws -----------------------------------------------------------------------

describe('laws', () => {
  test('compose: applying compose(a, b) is applying a then b', () => {
    fc.assert(
      fc.property(docArb, changeArb, changeArb, (docSpec, specA, specB) => {
        const pool = newPool();
        const doc = buildDoc(docSpec, pool);
        const [a, afterA] = buildChange(doc, specA, pool);
        const [b, afterB] = buildChange(afterA, specB, pool);
        const ab = compose(a, b, pool);
        checkRep(ab, pool);
        assert.equal(applyToText(ab, doc.text), applyToText(b, applyToText(a, doc.text)));
        sameDoc(applyToAText(ab, doc, pool), afterB);
      }),
      RUNS,
    );
  });

  test('compose is associative', () => {
    fc.assert(
      fc.property(docArb, changeArb, changeArb, changeArb, (docSpec, specA, specB, specC) => {
        const pool = newPool();
        const doc = buildDoc(docSpec, pool);
        const [a, afterA] = buildChange(doc, specA, pool);
        const [b, afterB] = buildChange(afterA, specB, pool);
        const [c] = buildChange(afterB, specC, pool);
        const left = compose(compose(a, b, pool), c, pool);
        const right = compose(a, compose(b, c, pool), pool);
        checkRep(left, pool);
        assert.equal(left, right);
      }),
      RUNS,
    );
  });

  test('follow converges (TP1), attributes included, in both insert orders', () => {
    fc.assert(
      fc.property(docArb, changeArb, changeArb, (docSpec, specA, specB) => {
        const pool = newPool();
        const doc = buildDoc(docSpec, pool);
        const [a] = buildChange(doc, specA, pool);
        const [b] = buildChange(doc, specB, pool);
        const bAfterA = follow(a, b, false, pool);
        const aAfterB = follow(b, a, true, pool);
        checkRep(bAfterA, pool);
        checkRep(aAfterB, pool);
        const left = applyToAText(compose(a, bAfterA, pool), doc, pool);
        const right = applyToAText(compose(b, aAfterB, pool), doc, pool);
        sameDoc(left, right);
        sameDoc(applyToAText(bAfterA, applyToAText(a, doc, pool), pool), left);
      }),
      RUNS,
    );
  });

  test('inverse restores text and attribution', () => {
    fc.assert(
      fc.property(docArb, changeArb, (docSpec, spec) => {
        const pool = newPool();
        const doc = buildDoc(docSpec, pool);
        const [cs, after] = buildChange(doc, spec, pool);
        const undo = inverse(cs, doc, pool);
        checkRep(undo, pool);
        sameDoc(applyToAText(undo, after, pool), doc);
        // the JSON form of the document is accepted as well
        assert.equal(inverse(cs, doc.toJsonable(), pool), undo);
      }),
      RUNS,
    );
  });

  test('unpack and pack round-trip', () => {
    fc.assert(
      fc.property(docArb, changeArb, (docSpec, spec) => {
        const pool = newPool();
        const doc = buildDoc(docSpec, pool);
        const [cs] = buildChange(doc, spec, pool);
        const parsed = unpack(cs);
        assert.equal(pack(parsed.oldLen, parsed.newLen, parsed.ops, parsed.charBank), cs);
        assert.equal(parsed.pack(), cs);
        assert.equal(checkRep(cs, pool), parsed);
      }),
      RUNS,
    );
  });

  test('changesetFromTexts turns one text into the other', () => {
    fc.assert(
      fc.property(docArb, changeArb, (docSpec, spec) => {
        const pool = newPool();
        const doc = buildDoc(docSpec, pool);
        const [, after] = buildChange(doc, spec, pool);
        const cs = changesetFromTexts(doc.text, after.text);
        checkRep(cs);
        assert.equal(applyToText(cs, doc.text), after.text);
      }),
      RUNS,
    );
  });

  test('makeSplice reads attribute pairs as a map, as Etherpad does', () => {
    const key = fc.constantFrom('author', 'bold', 'list', '\uff21', '😀');
    const value = fc.constantFrom('', 'true', 'a.1', '\ue000', '😀');
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { maxLength: 5 }), fc.boolean(), (pairs, atEnd) => {
        const pool = newPool();
        const before = pool.nextNum;
        const cs = makeSplice('ab\ncd\n', atEnd ? 5 : 0, 0, 'x', pairs, pool);
        checkRep(cs, pool); // keys distinct and sorted by UTF-16 unit
        // a later value replaces an earlier one; an empty value removes its key
        const carried = new Map();
        for (const [k, v] of pairs) if (v) carried.set(k, v); else carried.delete(k);
        const ops = unpack(cs).ops;
        const cited = [...ops[ops.length - 1].attribs.matchAll(/\*([0-9a-z]+)/g)]
          .map((m) => pool.getAttrib(parseInt(m[1], 36)));
        assert.deepEqual(new Map(cited), carried);
        // every pair read with a value is numbered, in order
        const added = [];
        for (let num = before; num < pool.nextNum; num++) added.push(pool.getAttrib(num).join('\u0000'));
        const expected = [];
        const known = newPool();
        for (const [k, v] of pairs) {
          if (v && known.putAttrib([k, v], true) === -1 && !expected.includes(`${k}\u0000${v}`)) expected.push(`${k}\u0000${v}`);
        }
        assert.deepEqual(added, expected);
      }),
      RUNS,
    );
  });

  test('an AText made from its JSON form has the same lines and index', () => {
    fc.assert(
      fc.property(docArb, changeArb, (docSpec, spec) => {
        const pool = newPool();
        const doc = buildDoc(docSpec, pool);
        const [, after] = buildChange(doc, spec, pool);
        const fresh = makeAText(after.text, after.attribs);
        assert.deepEqual(fresh.attributionLines(), after.attributionLines());
        for (let position = 0; position <= after.length; position++) {
          assert.deepEqual(after.locate(position), fresh.locate(position));
        }
      }),
      { numRuns: 100 },
    );
  });
});

// -- errors -----------------------------------------------------------------------

function rejects(fn) {
  assert.throws(fn, ChangesetError);
}

describe('errors', () => {
  test('bad header', () => {
    for (const cs of ['X:1>0$', 'Z:1>$', 'Z:01>0$', 'Z:1=0$', 'Z:1<0$', 'Z:1<2$', 'Z:1>0', 'Z:A>0$']) {
      rejects(() => unpack(cs));
      rejects(() => checkRep(cs));
    }
    rejects(() => unpack(42));
  });

  test('malformed ops', () => {
    for (const cs of ['Z:1>0=01$', 'Z:1>0|0=1$', 'Z:1>0*=1$', 'Z:1>0x$', 'Z:1>0=$', 'Z:1>0*01=1$']) {
      rejects(() => unpack(cs));
    }
  });

  test('length mismatch', () => {
    rejects(() => checkRep('Z:2>2+1$x'));
    rejects(() => checkRep('Z:1>0=2$'));
    rejects(() => applyToText('Z:2>0$', 'a\n\n'));
    rejects(() => compose('Z:1>1+1$x', 'Z:1>0$'));
    rejects(() => follow('Z:1>0$', 'Z:2>0$'));
  });

  test('bad newline count', () => {
    rejects(() => checkRep('Z:1>1|1+1$x'));
    rejects(() => checkRep('Z:1>2+2$\na'));
    rejects(() => applyToText('Z:3>0=2*0=1$', 'a\nb\n'));
    rejects(() => applyToText('Z:4>1=2+1$x', 'a\nb\n'));
  });

  test('unknown attribute number (with a pool)', () => {
    const pool = newPool();
    const unknown = pool.nextNum.toString(36);
    checkRep(`Z:1>1*${unknown}+1$x`); // without a pool the number is not checked
    rejects(() => checkRep(`Z:1>1*${unknown}+1$x`, pool));
    rejects(() => checkRep('Z:1>1*0*0+1$x'));
  });

  test('unconsumed char bank', () => {
    rejects(() => checkRep('Z:1>1+1$xy'));
    rejects(() => checkRep('Z:1>2+2$x'));
    rejects(() => applyToText('Z:1>1+1$xy', '\n'));
  });

  test('non-canonical forms', () => {
    rejects(() => checkRep('Z:2>2+1+1$xy')); // unmerged inserts
    rejects(() => checkRep('Z:2>0=1=1*0=1$')); // unmerged keeps (checked before the pool)
    rejects(() => checkRep('Z:3>0|1=1|1=1$')); // two whole-line keeps
    rejects(() => checkRep('Z:2>0+1-1$x')); // insert before delete
    rejects(() => checkRep('Z:2>1+1=1$x')); // trailing plain keep
    rejects(() => checkRep('Z:1>0=0*0=1$')); // empty op
    checkRep('Z:4>1|1=2=1+1$x'); // whole lines then a partial line: canonical
    checkRep('Z:2>0*0=2$');
  });

  test('surrogate pairs are never split', () => {
    rejects(() => checkRep('Z:1>1+1$😀'));
    rejects(() => checkRep('Z:1>3+1+2$😀a')); // split across two inserts
    rejects(() => applyToText('Z:3<1=1-1$', '😀\n'));
    rejects(() => makeSplice('😀\n', 1, 0, 'x'));
    rejects(() => makeSplice(makeAText('😀\n'), 0, 1, ''));
    rejects(() => makeAttributeChange('😀\n', 1, 2, [['bold', 'true']], newPool()));
    checkRep('Z:1>2+2$😀');
  });

  test('lone surrogates are rejected', () => {
    rejects(() => checkRep('Z:1>1+1$\ud800'));
    rejects(() => makeSplice('\n', 0, 0, '\udc00'));
    rejects(() => makeAText('a\ud800\n'));
    rejects(() => new Builder(1).insert('\ud83d'));
  });

  test('documents must end with a newline, and attributions fit them', () => {
    rejects(() => makeAText('abc'));
    rejects(() => makeAText(''));
    rejects(() => makeAText('ab\n', '+3'));
    rejects(() => makeAText('ab\n', '+2|1+1'));
    rejects(() => makeAText('ab\n', '|1+2+1'));
    rejects(() => makeAText('ab\n', '+1+1|1+1'));
    rejects(() => makeAText('ab\n', '=3'));
    rejects(() => applyToText('Z:2<1=1|1-1$', 'a\n'));
    rejects(() => applyToAText('Z:2<1=1|1-1$', makeAText('a\n')));
    rejects(() => applyToAText('Z:1>0$', { text: 'a\n' }));
  });

  test('pools reject malformed JSON', () => {
    rejects(() => AttributePool.fromJsonable(null));
    rejects(() => AttributePool.fromJsonable({}));
    rejects(() => AttributePool.fromJsonable({ numToAttrib: [] }));
    rejects(() => AttributePool.fromJsonable({ numToAttrib: { x: ['a', 'b'] } }));
    rejects(() => AttributePool.fromJsonable({ numToAttrib: { 0: ['a'] } }));
    rejects(() => AttributePool.fromJsonable({ numToAttrib: { 0: ['a', 'b'], 1: ['a', 'b'] } }));
    rejects(() => AttributePool.fromJsonable({ numToAttrib: {}, nextNum: '2' }));
    rejects(() => newPool().getAttrib(99));
  });
});

// -- the API's smaller promises ---------------------------------------------------

describe('api', () => {
  test('documented examples', () => {
    assert.equal(makeSplice('\n', 0, 0, '😀'), 'Z:1>2+2$😀');
    checkRep('Z:5g>1|5=2p=v*4*5+1$x');
    const parsed = unpack('Z:5g>1|5=2p=v*4*5+1$x');
    assert.equal(parsed.oldLen, 196);
    assert.equal(parsed.newLen, 197);
    assert.deepEqual(parsed.ops, [
      { opcode: '=', chars: 97, lines: 5, attribs: '' },
      { opcode: '=', chars: 31, lines: 0, attribs: '' },
      { opcode: '+', chars: 1, lines: 0, attribs: '*4*5' },
    ]);
    assert.equal(parsed.charBank, 'x');
    assert.equal(pack(196, 197, '|5=2p=v*4*5+1', 'x'), 'Z:5g>1|5=2p=v*4*5+1$x');
    assert.equal(pack(3, 1, [['-', 2]], ''), 'Z:3<2-2$');
  });

  test('identity', () => {
    assert.equal(identity(5), 'Z:5>0$');
    assert.ok(isIdentity('Z:5>0$'));
    assert.ok(!isIdentity('Z:5>0*0=1$'));
    assert.equal(makeSplice('ab\n', 1, 0, ''), 'Z:3>0$');
  });

  test('pool numbering follows Etherpad: pairs numbered as given, cited by key in UTF-16 order', () => {
    const pool = new AttributePool();
    // '\u{1F600}' sorts before '\uE000' by UTF-16 unit (a surrogate, D83D), though not by
    // code point; of a repeated key the last value stays, yet both are numbered
    const cs = makeSplice('\n', 0, 0, 'x', [['k\u{1F600}', 'v'], ['k\uE000', 'v'], ['bold', 'true'], ['bold', 'a']], pool);
    assert.equal(cs, 'Z:1>1*3*0*1+1$x');
    assert.deepEqual(pool.toJsonable(), {
      numToAttrib: { 0: ['k\u{1F600}', 'v'], 1: ['k\uE000', 'v'], 2: ['bold', 'true'], 3: ['bold', 'a'] },
      nextNum: 4,
    });
    // an empty value removes its key from inserted text, and is not numbered
    assert.equal(makeSplice('\n', 0, 0, 'x', [['bold', 'true'], ['italic', '']], pool), 'Z:1>1*2+1$x');
    assert.equal(pool.nextNum, 4);
    assert.equal(pool.putAttrib(['bold', 'a']), 3);
    assert.equal(pool.putAttrib(['new', 'x'], true), -1);
    assert.equal(pool.getAttribKey(0), 'k\u{1F600}');
    assert.equal(pool.getAttribValue(2), 'true');
    assert.ok(pool.hasAttrib(2) && !pool.hasAttrib(4));
    const copy = pool.copy();
    copy.putAttrib(['new', 'x']);
    assert.equal(pool.nextNum, 4);
    assert.equal(AttributePool.fromJsonable({ numToAttrib: { 5: ['a', 'b'] } }).nextNum, 6);
  });

  test('AText: JSON form, attribution lines, locate', () => {
    const pool = newPool();
    const doc = new AText('ab\ncd\n\n');
    assert.deepEqual(doc.toJSON(), { text: 'ab\ncd\n\n', attribs: '|3+7' });
    assert.equal(JSON.stringify(doc), '{"text":"ab\\ncd\\n\\n","attribs":"|3+7"}');
    assert.deepEqual(doc.attributionLines(), ['|1+3', '|1+3', '|1+1']);
    assert.deepEqual(doc.locate(0), [0, 0]);
    assert.deepEqual(doc.locate(4), [1, 3]);
    assert.deepEqual(doc.locate(7), [3, 7]);
    rejects(() => doc.locate(8));
    const bold = applyToAText(makeAttributeChange(doc, 1, 4, [['bold', 'true']], pool), doc, pool);
    const b = pool.putAttrib(['bold', 'true']).toString(36);
    assert.equal(bold.attribs, `+1*${b}|1+2*${b}+1|2+3`);
    assert.deepEqual(bold.attributionLines(), [`+1*${b}|1+2`, `*${b}+1|1+2`, '|1+1']);
    assert.equal(bold.lineCount, 3);
    assert.ok(AText.fromJsonable(bold.toJsonable()).equals(bold));
    const plain = applyToAText(makeAttributeChange(bold, 0, 7, [['bold', '']], pool), bold.toJsonable(), pool);
    assert.equal(plain.attribs, '|3+7');
  });

  test('a large document keeps its lines in chunks and agrees with plain text', () => {
    const pool = newPool();
    const lines = Array.from({ length: 500 }, (_, i) => `line ${i}`);
    let doc = makeAText(`${lines.join('\n')}\n`);
    let text = doc.text;
    for (let i = 0; i < 300; i++) {
      const start = (i * 7919) % (doc.length - 1);
      const ndel = Math.min(i % 13, doc.length - 1 - start);
      const ins = i % 5 === 0 ? `x\n${i}\ny` : `${i}`;
      const cs = makeSplice(doc, start, ndel, ins, [['author', i % 2 ? 'a' : 'b']], pool);
      assert.equal(cs, makeSplice(text, start, ndel, ins, [['author', i % 2 ? 'a' : 'b']], pool));
      doc = applyToAText(cs, doc, pool);
      text = applyToText(cs, text);
      assert.equal(doc.length, text.length);
    }
    assert.equal(doc.text, text);
    assert.deepEqual(makeAText(doc.text, doc.attribs).attributionLines(), doc.attributionLines());
  });

  test('Builder', () => {
    const pool = new AttributePool();
    const cs = new Builder(6).keepText('ab\n').removeText('c').insert('XY\n', [['author', 'a']], pool).keep(1, 0, [['bold', 'true']], pool).toString();
    assert.equal(cs, 'Z:6>2|1=3-1*0|1+3*1=1$XY\n');
    assert.equal(applyToText(cs, 'ab\ncd\n'), 'ab\nXY\nd\n');
    assert.equal(new Builder(3).keep(1).remove(1).toString(), 'Z:3<1=1-1$');
    rejects(() => new Builder(1).keep(2));
  });

  test('characterRangeFollow moves ranges as Etherpad does', () => {
    const cs = makeSplice('abcdef\n', 2, 2, 'XYZ'); // ab[cd]ef -> abXYZef
    assert.deepEqual(characterRangeFollow(cs, 0, 1), [0, 1]);
    assert.deepEqual(characterRangeFollow(cs, 5, 6), [6, 7]);
    assert.deepEqual(characterRangeFollow(cs, 3, 3), [5, 5]); // a caret in replaced text
    assert.deepEqual(characterRangeFollow(cs, 3, 3, true), [2, 2]);
    assert.deepEqual(characterRangeFollow(cs, 0, 3), [0, 2]); // the end goes back before XYZ
    assert.deepEqual(characterRangeFollow(cs, 3, 6), [5, 7]); // the start goes past it
    assert.deepEqual(characterRangeFollow(cs, 0, 2), [0, 2]); // new text at an edge stays out
    assert.deepEqual(characterRangeFollow(cs, 1, 5), [1, 6]); // and inside, in
    const insert = makeSplice('abc\n', 1, 0, 'XY');
    assert.deepEqual(characterRangeFollow(insert, 1, 1), [3, 3]);
    assert.deepEqual(characterRangeFollow(insert, 1, 1, true), [1, 1]);
    assert.deepEqual(characterRangeFollow(insert, 1, 2, true), [3, 4]);
    assert.deepEqual(characterRangeFollow(insert, 0, 1), [0, 1]);
    rejects(() => characterRangeFollow(insert, 2, 1));
    rejects(() => characterRangeFollow(insert, 0, 5));
  });

  test('moveToPool and moveAttribsToPool', () => {
    const from = new AttributePool();
    const cs = makeSplice('\n', 0, 0, 'x', [['author', 'a'], ['bold', 'true']], from);
    const to = new AttributePool();
    to.putAttrib(['bold', 'true']);
    assert.equal(moveToPool(cs, from, to), 'Z:1>1*1*0+1$x');
    assert.equal(moveAttribsToPool('*0*1', from, to), '*1*0');
    rejects(() => moveAttribsToPool('*7', from, to));
  });

  test('composeAttributes and followAttributes', () => {
    const pool = new AttributePool();
    const [bold, unbold, italic] = [['bold', 'true'], ['bold', ''], ['italic', 'true']].map((p) => `*${pool.putAttrib(p)}`);
    assert.equal(composeAttributes(bold, unbold, true, pool), unbold);
    assert.equal(composeAttributes(bold, unbold, false, pool), '');
    assert.equal(composeAttributes(bold, italic, false, pool), bold + italic);
    assert.equal(composeAttributes('', unbold, true, pool), unbold);
    // both set bold: the smaller value ('' < 'true') wins, whichever side set it
    assert.equal(followAttributes(bold, unbold, pool), unbold);
    assert.equal(followAttributes(unbold, bold, pool), '');
    assert.equal(followAttributes(bold, italic, pool), italic);
    assert.equal(followAttributes(bold, italic, null), '');
  });

  test('changesetFromTexts keeps surrogate pairs whole', () => {
    const cs = changesetFromTexts('a😀\n', 'a😁\n');
    checkRep(cs);
    assert.equal(cs, 'Z:4>0=1-2+2$😁');
    assert.equal(changesetFromTexts('same\n', 'same\n'), 'Z:5>0$');
  });

  test('parsed changesets are accepted wherever strings are', () => {
    const a = unpack(makeSplice('ab\n', 1, 0, 'x'));
    const b = unpack(makeSplice('axb\n', 0, 1, ''));
    assert.equal(compose(a, b), compose(a.pack(), b.pack()));
    assert.equal(compose(a, b), 'Z:3>0-1+1$x');
    assert.equal(applyToText(a, 'ab\n'), 'axb\n');
  });
});
