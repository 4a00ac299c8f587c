// Known cross-site-scripting vectors (tests/vectors/xss.json, shared with the Python suite):
// whatever goes in, the rendered HTML, parsed again by an HTML parser, holds only the
// model's elements and attributes and only URLs of allowed schemes; the text survives.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Document } from '../../client/js/document.js';
import { window } from './jsdom_window.mjs';
import { parseBody } from './parse5_dom.mjs';

const VECTORS = new URL('../vectors/xss.json', import.meta.url);

const ALLOWED_ELEMENTS = new Set([
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'blockquote', 'ul', 'ol', 'li', 'table',
  'thead', 'tbody', 'tr', 'td', 'th', 'a', 'strong', 'em', 'u', 's', 'code', 'sub', 'sup',
  'span', 'img', 'br', 'hr',
]);
const ALLOWED_ATTRIBUTES = {
  a: ['href'],
  img: ['src', 'alt', 'width', 'height'],
  ol: ['start'],
  td: ['colspan', 'rowspan'],
  th: ['colspan', 'rowspan'],
  span: ['data-author'],
};
const LINK_SCHEMES = ['http', 'https', 'mailto'];
const IMAGE_SCHEMES = ['http', 'https'];
const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;

/** Return a vector's HTML with its repeat markers expanded (as write_xss.py's expand). */
function expand(vector) {
  let html = vector.html;
  for (const [marker, [piece, count]] of Object.entries(vector.repeat ?? {})) {
    html = html.replaceAll(marker, piece.repeat(count));
  }
  return html;
}

/** Return the scheme a browser would read from a URL ('' for a relative URL). */
function schemeOf(url) {
  const match = SCHEME.exec(url.replace(/[\u0000-\u0020\u007f]/g, ''));
  return match === null ? '' : match[1].toLowerCase();
}

/** Assert that `html` holds nothing but the model's markup; return the element count. */
export function assertSanitized(html) {
  const body = new window.DOMParser().parseFromString(html, 'text/html').body;
  let count = 0;
  for (const element of body.querySelectorAll('*')) {
    count += 1;
    const tag = element.localName;
    assert.ok(ALLOWED_ELEMENTS.has(tag), `element <${tag}> in ${html.slice(0, 200)}`);
    for (const { name, value } of element.attributes) {
      if (name === 'class') continue;
      if (name === 'style') {
        assert.match(value, /^text-align: (center|right|justify)$/, `style on <${tag}>`);
        continue;
      }
      assert.ok((ALLOWED_ATTRIBUTES[tag] ?? []).includes(name), `attribute ${name} on <${tag}>`);
      if (name === 'href') {
        const scheme = schemeOf(value);
        assert.ok(scheme === '' || LINK_SCHEMES.includes(scheme), `unsafe href ${JSON.stringify(value.slice(0, 80))}`);
      }
      if (name === 'src') {
        const scheme = schemeOf(value);
        assert.ok(scheme === '' || IMAGE_SCHEMES.includes(scheme), `unsafe src ${JSON.stringify(value.slice(0, 80))}`);
      }
    }
  }
  return count;
}

if (!existsSync(VECTORS)) {
  test('xss.json is missing: nothing to check', { skip: 'tests/vectors/xss.json not written yet' }, () => {});
} else {
  const { vectors } = JSON.parse(readFileSync(VECTORS, 'utf8'));

  test('there are at least sixty vectors', () => {
    assert.ok(vectors.length >= 60, `${vectors.length} vectors`);
  });

  for (const vector of vectors) {
    test(`xss: ${vector.name}`, () => {
      // Huge and deep vectors (the repeated ones) are parsed by parse5 alone: jsdom needs
      // seconds to build a deep tree (see parse5_dom.mjs); the tree is the same.
      const html = expand(vector);
      const doc = vector.repeat ? Document.fromHTML(parseBody(html)) : Document.fromHTML(html, { window });
      assertSanitized(doc.toHTML());
      assertSanitized(doc.toHTML({ authors: true }));
      if (vector.text !== undefined) {
        assert.ok(doc.toText().includes(vector.text), `text ${JSON.stringify(vector.text)} lost`);
      }
    });
  }
}

test('render re-checks what an AText holds: hostile values from a client stay inert', () => {
  const E = '\uFFFC';
  const doc = Document.fromLines([
    [
      [
        ['a', { link: 'java\tscript:alert(1)', class: '"><script>alert(1)</script>' }],
        ['b', { author: '"><img src=x onerror=alert(1)>', bold: 'true' }],
        [E, { embed: 'image', src: 'javascript:alert(1)', alt: 'x', width: '1 onerror=alert(1)' }],
        [E, { embed: 'image', src: 'data:image/svg+xml;base64,PHN2Zz4=' }],
        [E, { embed: 'script' }],
      ],
      { heading: '1><script>alert(1)</script', align: 'center;background:url(x)', bclass: '" onclick="x' },
    ],
    [[['c', {}]], { list: 'number', start: '2"><script>', indent: '3 x' }],
    [[['d', {}]], { table: 't"1', row: 'r1', cell: 'c1', colspan: '2 onclick=x', th: 'true' }],
  ]);
  for (const authors of [false, true]) {
    const html = doc.toHTML({ authors });
    assert.ok(assertSanitized(html) > 0);
    assert.ok(!html.includes('<script'), html);
  }
});
