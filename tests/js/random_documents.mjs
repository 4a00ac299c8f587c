// Random normalized documents in the line form, as fast-check arbitraries, for the laws of
// the document model (document_laws.test.mjs) and of the diff (diff_laws.test.mjs).

import fc from 'fast-check';
import { EMBED } from '../../client/js/document.js';

// Normalized, as the spec defines it and parse produces it: outside pre no line starts or
// ends with a space or holds two in a row, no tab; embeds carry `embed`; an hr stands alone
// on its line (with no align, class or heading: its line renders as a bare <hr>); a heading
// is not on a pre line (a pre cannot show it); table, row and cell ids each cover one run
// of lines and are numbered t1, r1, c1, ... in order; head rows start their table.

const WORDS = ['a', 'bb', 'ccc', 'x&y', '<tag>', '"q"', 'é', '😀', 'a\u00a0b', '1', '\u00a0', "it's", 'Ω≈'];
const PRE_TEXTS = ['a', '  b', 'x  y', '\tz', ' ', 'if (a < b) {', '  return "&";', '}', '😀 '];
const FLAGS = ['bold', 'italic', 'underline', 'strike', 'code', 'sub', 'sup'];
const LINKS = ['https://e.org/a?b=1&c=2', '/rel', 'mailto:x@e.org', '#top', '?q=1', 'page.html'];
const AUTHORS = ['a.1', 'a.2', 'a"3'];
const SOURCES = ['https://e.org/i.png', 'i.png', '/img/x.gif'];

const rare = (arb) => fc.option(arb, { freq: 3, nil: undefined });

const inlineAttributes = fc
  .record({
    flags: fc.subarray(FLAGS, { maxLength: 3 }),
    link: rare(fc.constantFrom(...LINKS)),
    author: rare(fc.constantFrom(...AUTHORS)),
    class: rare(fc.constantFrom('note', 'lead', 'lead note')),
  })
  .map(({ flags, ...rest }) => {
    const attrs = {};
    for (const flag of flags) attrs[flag] = 'true';
    for (const [key, value] of Object.entries(rest)) if (value !== undefined) attrs[key] = value;
    return attrs;
  });

const image = fc
  .record({
    src: fc.constantFrom(...SOURCES),
    alt: rare(fc.constantFrom('pic', 'a "b" & c', ' x ')),
    width: rare(fc.constantFrom('10', '200')),
    height: rare(fc.constantFrom('7', '030')),
  })
  .map((fields) => {
    const attrs = { embed: 'image' };
    for (const [key, value] of Object.entries(fields)) if (value !== undefined) attrs[key] = value;
    return attrs;
  });

const piece = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('text'), words: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }), lead: fc.boolean(), trail: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('image'), attrs: image }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('br') }) },
);

/** Runs of a normalized non-pre line. */
const runs = fc.array(fc.tuple(piece, inlineAttributes), { maxLength: 5 }).map((pieces) => {
  const out = [];
  let previous = ''; // last character so far
  for (const [p, attrs] of pieces) {
    let text;
    let all = attrs;
    if (p.kind === 'text') {
      text = p.words.join(' ');
      // Spaces at the junctions only where normalization allows them.
      if (p.lead && previous !== '' && previous !== ' ') text = ` ${text}`;
      if (p.trail) text = `${text} `;
    } else {
      text = EMBED;
      all = { ...attrs, ...(p.kind === 'image' ? p.attrs : { embed: 'br' }) };
    }
    out.push([text, all]);
    previous = text[text.length - 1];
  }
  // no space at the end of the line
  const last = out[out.length - 1];
  if (last !== undefined && last[0].endsWith(' ')) {
    last[0] = last[0].slice(0, -1);
    if (last[0] === '') out.pop();
  }
  return out;
});

/** Runs of a pre line: any text but newlines. */
const preRuns = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...PRE_TEXTS), inlineAttributes) },
    { weight: 1, arbitrary: fc.tuple(fc.constant(EMBED), fc.constant({ embed: 'br' })) },
  ),
  { maxLength: 3 },
);

const blockStyle = fc.record({
  align: rare(fc.constantFrom('center', 'right', 'justify')),
  bclass: rare(fc.constantFrom('note', 'lead', 'lead note')),
});

function withStyle(block, style) {
  const out = { ...block };
  if (style.align) out.align = style.align;
  if (style.bclass) out.bclass = style.bclass;
  return out;
}

/** One line of a flow (top level or inside a cell): p, heading, list item, pre, rule. */
const flowLine = fc.oneof(
  fc.tuple(runs, blockStyle).map(([r, s]) => [r, withStyle({}, s)]),
  fc.tuple(runs, blockStyle, fc.integer({ min: 1, max: 6 })).map(([r, s, h]) => [r, withStyle({ heading: String(h) }, s)]),
  fc
    .tuple(
      fc.oneof(runs, fc.constant([[EMBED, { embed: 'hr' }]])),
      blockStyle,
      fc.constantFrom('bullet', 'number'),
      fc.integer({ min: 1, max: 8 }),
      rare(fc.integer({ min: 2, max: 99 })),
      fc.constantFrom('', '', '', 'heading', 'pre'),
    )
    .map(([r, s, list, indent, start, extra]) => {
      const block = withStyle({ list }, s);
      if (indent > 1) block.indent = String(indent);
      if (list === 'number' && start !== undefined) block.start = String(start);
      const rule = r.length === 1 && r[0][1].embed === 'hr';
      if (extra === 'heading' && !rule) block.heading = '2';
      if (extra === 'pre' && !rule) return [preRunsExample(r), { ...block, pre: 'true' }];
      return [r, block];
    }),
  fc.tuple(preRuns, blockStyle).map(([r, s]) => [r, withStyle({ pre: 'true' }, s)]),
  fc.constant([[[EMBED, { embed: 'hr' }]], {}]),
);

// A list item that is also pre keeps its spaces: make its text pre text.
function preRunsExample(r) {
  return r.map(([text, attrs]) => [attrs.embed === 'image' ? text : text.replace(/ /g, '  '), attrs]);
}

const quoted = fc.tuple(flowLine, fc.boolean()).map(([[r, block], quote]) => [r, quote ? { ...block, quote: 'true' } : block]);

const table = fc
  .record({
    head: fc.boolean(),
    rows: fc.array(
      fc.array(
        fc.record({
          lines: fc.array(quoted, { minLength: 1, maxLength: 2 }),
          th: fc.boolean(),
          colspan: rare(fc.integer({ min: 2, max: 3 })),
          rowspan: rare(fc.integer({ min: 2, max: 3 })),
        }),
        { minLength: 1, maxLength: 3 },
      ),
      { minLength: 1, maxLength: 3 },
    ),
  })
  .map(({ head, rows }) => {
    const lines = [];
    rows.forEach((cells, r) => {
      for (const cell of cells) {
        const ids = { table: 'T', row: `R${r}`, cell: `C${lines.length}` };
        if (cell.th) ids.th = 'true';
        if (head && r === 0) ids.head = 'true';
        if (cell.colspan) ids.colspan = String(cell.colspan);
        if (cell.rowspan) ids.rowspan = String(cell.rowspan);
        for (const [r2, block] of cell.lines) lines.push([r2, { ...block, ...ids }]);
      }
    });
    return lines;
  });

/** Number tables, rows and cells t1, r1, c1, ... in order, one id per run. */
function canonicalIds(groups) {
  const counters = { table: 0, row: 0, cell: 0 };
  const out = [];
  groups.forEach((lines, group) => {
    const previous = {};
    for (const [r, block] of lines) {
      const renamed = { ...block };
      for (const [key, prefix] of [['table', 't'], ['row', 'r'], ['cell', 'c']]) {
        if (block[key] === undefined) continue;
        const original = `${group}:${block[key]}`;
        if (previous[key] !== original) {
          counters[key] += 1;
          previous[key] = original;
          previous[`${key}Id`] = `${prefix}${counters[key]}`;
        }
        renamed[key] = previous[`${key}Id`];
      }
      out.push([r, renamed]);
    }
  });
  return out;
}

export const normalizedDocument = fc
  .array(fc.oneof({ weight: 5, arbitrary: quoted.map((line) => [line]) }, { weight: 1, arbitrary: table }), {
    minLength: 1,
    maxLength: 8,
  })
  .map((groups) => canonicalIds(groups));
