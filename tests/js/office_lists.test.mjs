// Word's list paragraphs read as lists (client/js/document/office-lists.js and the parser),
// twin of tests/unit/document/test_office_lists.py; the clipboard samples are
// tests/fixtures/office. The shared vectors (documents.json) hold both languages to the
// same lines; these check the pieces and what only the browser side has: live elements.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { BlockParser, Document } from '../../client/js/document.js';
import {
  OFFICE_KEY, OfficeItem, hasOfficeLists, isMarkerStyle, listDefinitions, listItem, markerNumbers, noteComment,
  resolveOfficeLists,
} from '../../client/js/document/office-lists.js';
import { JSDOM, window } from './jsdom_window.mjs';

const sample = (name) => readFileSync(new URL(`../fixtures/office/${name}`, import.meta.url), 'utf8');
const SAMPLES = [
  'word-bullets.html', 'word-numbers.html', 'word-continued.html', 'word-fragment.html',
  'libreoffice-lists.html', 'google-docs-lists.html',
];

test('a mso-list value names list and level', () => {
  assert.deepEqual(listItem('l0 level1 lfo1'), ['l0', 1]);
  assert.deepEqual(listItem(' L12 LEVEL3 lfo7 '), ['l12', 3]);
  assert.deepEqual(listItem('l0 level12 lfo1'), ['l0', 8]);
  assert.deepEqual(listItem('l0 level0 lfo1'), ['l0', 1]);
  for (const value of [null, '', 'ignore', 'none', 'skip', 'level1 l0']) assert.equal(listItem(value), null);
});

test('the marker element and comments', () => {
  assert.ok(isMarkerStyle('ignore') && isMarkerStyle(' Ignore '));
  assert.ok(!isMarkerStyle(null) && !isMarkerStyle('l0 level1 lfo1'));
  const item = new OfficeItem('l0', 1, null);
  noteComment(item, '[if !supportLists]');
  assert.ok(item.inCommentMarker);
  noteComment(item, 'something else');
  assert.ok(item.inCommentMarker);
  noteComment(item, ' [endif]');
  assert.ok(!item.inCommentMarker);
});

test('the marker is its first word', () => {
  const item = new OfficeItem('l3', 2, null);
  item.marker = '\n1.2.\u00a0\u00a0\u00a0 ';
  assert.equal(item.encode(), 'l3:2:1.2.');
  assert.equal(new OfficeItem('l0', 1, null).encode(), 'l0:1:');
});

test('list definitions from Word style sheets', () => {
  const style = `<!--
    @list l0 {mso-list-id:1140997432; mso-list-type:hybrid;}
    @list l0:level1
        {mso-level-number-format:bullet;
        mso-level-text:\\F0B7;}
    @list l0:level2 {mso-level-tab-stop:none;}
    @list L1:level1 {MSO-LEVEL-NUMBER-FORMAT: Roman-Upper;}
    @list l1:level1 lfo2 {mso-level-start-at:3;}
    -->`;
  assert.deepEqual(Object.fromEntries(listDefinitions([style, 'p {margin:0}'])), {
    'l0:1': 'bullet', 'l0:2': 'decimal', 'l1:1': 'roman-upper',
  });
});

test('marker numbers', () => {
  const cases = [
    ['·', undefined, null], ['o', undefined, null], ['§', undefined, null], ['Ø', undefined, null],
    ['', undefined, null], ['3.', undefined, [3]], ['12)', undefined, [12]], ['(7)', undefined, [7]],
    ['1.2.', undefined, [2]], ['4', undefined, [4]], ['c)', undefined, [3, 100]], ['(b)', undefined, [2]],
    ['i.', undefined, [1, 9]], ['iv.', undefined, [4]], ['XII.', undefined, [12]], ['aa.', undefined, [27]],
    ['i.', 'alpha-lower', [9]], ['c.', 'roman-lower', [100]], ['·', 'bullet', null], ['1.', 'image', null],
    ['', 'decimal', []], ['1234567890.', undefined, null],
  ];
  for (const [marker, format, numbers] of cases) assert.deepEqual(markerNumbers(marker, format), numbers, marker);
});

const officeLine = (text, marker, level = 1, block = {}) => [
  [[text, {}]],
  { list: 'bullet', [OFFICE_KEY]: `l0:${level}:${marker}`, ...(level > 1 ? { indent: String(level) } : {}), ...block },
];
const blocks = (lines) => resolveOfficeLists(lines, () => new Map()).map(([, block]) => ({ ...block }));

test('resolve sets type and start where render would show another number', () => {
  const lines = [
    officeLine('a', '3.'), officeLine('b', '4.'), officeLine('c', '·', 2), officeLine('d', '5.'),
    [[['p', {}]], {}], officeLine('e', '6.'), officeLine('f', 'o'),
  ];
  assert.deepEqual(blocks(lines), [
    { list: 'number', start: '3' }, { list: 'number' }, { list: 'bullet', indent: '2' }, { list: 'number' }, {},
    { list: 'number', start: '6' }, { list: 'bullet' },
  ]);
});

test('resolve counts lines render nests in empty items', () => {
  assert.deepEqual(blocks([officeLine('deep', '1.', 2), officeLine('next', '2.')]), [
    { list: 'number', indent: '2' }, { list: 'number' },
  ]);
});

test('resolve counts each table cell and quote on its own', () => {
  const cell = { table: 't1', row: 'r1' };
  const lines = [
    officeLine('a', '1.', 1, { ...cell, cell: 'c1' }), officeLine('b', '2.', 1, { ...cell, cell: 'c2' }),
    officeLine('c', '2.', 1, { quote: 'true' }),
  ];
  assert.deepEqual(blocks(lines).map((block) => block.start), [undefined, '2', '2']);
});

test('resolve asks for the style sheet once and only if needed, and shares what it keeps', () => {
  let asked = 0;
  const definitions = () => {
    asked += 1;
    return new Map([['l0:1', 'bullet']]);
  };
  const plain = [[], Object.freeze({ list: 'number' })];
  assert.equal(resolveOfficeLists([plain], definitions)[0], plain);
  assert.equal(asked, 0);
  const lines = resolveOfficeLists([officeLine('a', '1.'), officeLine('b', '2.')], definitions);
  assert.deepEqual(lines.map(([, block]) => ({ ...block })), [{ list: 'bullet' }, { list: 'bullet' }]);
  assert.equal(asked, 1);
});

test('clipboards with Word lists are told apart', () => {
  assert.ok(hasOfficeLists(sample('word-bullets.html')));
  assert.ok(hasOfficeLists(sample('word-fragment.html')));
  assert.ok(hasOfficeLists("<p style='MSO-LIST: l3 level2 lfo4'>x</p>"));
  assert.ok(!hasOfficeLists(sample('libreoffice-lists.html')));
  assert.ok(!hasOfficeLists(sample('google-docs-lists.html')));
  assert.ok(!hasOfficeLists("<p style='mso-list:Ignore'>1.</p><p>mso-list</p>"));
});

test('a pasted Word document becomes lists, with no marker left', () => {
  const doc = Document.fromHTML(sample('word-continued.html'), { window });
  assert.equal(doc.toHTML(),
    '<ol><li>Collect the receipts<ul><li>hotel</li><li>meals</li></ul></li>'
    + '<li>Fill in the claim form</li></ol><p>The form is on the intranet.</p>'
    + '<ol start="3"><li>Send it to finance</li><li>Wait for the refund</li></ol>'
    + '<p>Then:</p><ol><li>Archive the form</li><li>Tell your manager</li></ol>');
  for (const name of ['word-bullets.html', 'word-numbers.html', 'word-fragment.html']) {
    const text = Document.fromHTML(sample(name), { window }).atext.text;
    for (const marker of ['·', '§', 'o\u00a0', '3.', 'a.', 'ii.', '1.1.', '(c)', 'iv.']) {
      assert.ok(!text.includes(marker), `${name}: ${marker}`);
    }
  }
});

test('a live element holding Word HTML reads as the string does, whole or block by block', () => {
  const { document } = new JSDOM('').window;
  for (const name of SAMPLES) {
    const html = sample(name);
    const expected = Document.fromHTML(html, { window }).toLines();
    const root = document.createElement('div');
    document.body.replaceChildren(root);
    // a fragment keeps the head's style element (with Word's list definitions) in the root
    root.innerHTML = html;
    assert.deepEqual(Document.fromHTML(root).toLines(), expected, name);
    const parser = new BlockParser(root);
    parser.observe();
    assert.deepEqual(parser.parseLines(), expected, name);
    // a change to one item: the other blocks are reused, and the numbers still hold
    // (Google Docs' lists are inside an inline wrapper, which is walked again each time)
    const first = root.querySelector('p[style*="mso-list"], li');
    first.append(' more');
    const changed = parser.parseLines();
    assert.equal(parser.lastParse.parsed, name.startsWith('google') ? 0 : 1, name);
    assert.deepEqual(changed, Document.fromHTML(root).toLines(), name);
    parser.disconnect();
    for (const [, block] of changed) assert.equal(block[OFFICE_KEY], undefined);
  }
});
