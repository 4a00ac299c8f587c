// Times the JavaScript document model in a real browser (Debian's Chromium, headless).
//
//     node benchmarks/document_browser_bench.mjs [--runs N] [--kilobytes K]
//
// A tiny HTTP server on 127.0.0.1 serves client/js and diff-match-patch (wrapped as an ES
// module, for the page's import map); playwright-core drives /usr/bin/chromium. The page
// builds a realistic document of about 100 KB of HTML (headings, paragraphs with bold,
// italic and links, nested lists, quotes, a 20x5 table) and times, each as the median of N
// runs after a warm-up:
//   parse live     Document.fromHTML(element) on the document, live in the page
//   parse + atext  the same, then the AText (text + attribution) built from the lines
//   parse string   Document.fromHTML(html): the browser's DOMParser, then the walk
//   render         doc.toHTML()
//   incremental    BlockParser.parseLines() after one paragraph's text changed
// and prints the AText's size (text + attribution characters) against the HTML's.
// The last line printed is one JSON object with every figure.

import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const TARGET_PARSE_MS = 5;

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}
const RUNS = option('runs', 20);
const KILOBYTES = option('kilobytes', 100);

// -- the document -------------------------------------------------------------------------

/** A small seeded generator (mulberry32), so every run times the same document. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'policy staff shall review each request within thirty days the committee may extend this ' +
  'period where records are held by a third party and notify the applicant in writing of the ' +
  'reasons data protection officer retention schedule annex section clause approved amended'
).split(' ');

function buildDocument(kilobytes) {
  const next = random(42);
  const pick = (items) => items[Math.floor(next() * items.length)];
  const words = (n) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const sentence = () => {
    const parts = [];
    for (let i = 0; i < 4; i++) {
      const n = 3 + Math.floor(next() * 6);
      const roll = next();
      if (roll < 0.15) parts.push(`<strong>${words(n)}</strong>`);
      else if (roll < 0.27) parts.push(`<em>${words(n)}</em>`);
      else if (roll < 0.35) parts.push(`<a href="https://example.org/policy/${Math.floor(next() * 1000)}">${words(n)}</a>`);
      else parts.push(words(n));
    }
    return `${parts.join(' ')}.`;
  };
  const paragraph = () => `<p>${Array.from({ length: 3 + Math.floor(next() * 3) }, sentence).join(' ')}</p>`;
  const list = () => {
    const items = [];
    for (let i = 0; i < 4; i++) {
      const nested = next() < 0.4 ? `<ol><li>${sentence()}</li><li>${sentence()}</li></ol>` : '';
      items.push(`<li>${sentence()}${nested}</li>`);
    }
    return `<ul>${items.join('')}</ul>`;
  };
  const table = () => {
    const head = `<thead><tr>${Array.from({ length: 5 }, (_, c) => `<th>Column ${c + 1}</th>`).join('')}</tr></thead>`;
    const rows = Array.from({ length: 20 }, () => `<tr>${Array.from({ length: 5 }, () => `<td>${words(2 + Math.floor(next() * 4))}</td>`).join('')}</tr>`);
    return `<table>${head}<tbody>${rows.join('')}</tbody></table>`;
  };
  const parts = ['<h1>Records management policy</h1>'];
  let size = parts[0].length;
  let section = 0;
  let tableDone = false;
  while (size < kilobytes * 1024) {
    section += 1;
    const block = [`<h2>${section}. ${words(3)}</h2>`, paragraph(), paragraph()];
    if (section % 2 === 0) block.push(list());
    if (section % 5 === 0) block.push(`<blockquote><p>${sentence()}</p></blockquote>`);
    if (!tableDone && section === 6) {
      block.push(table());
      tableDone = true;
    }
    block.push(paragraph());
    for (const html of block) {
      parts.push(html);
      size += html.length;
    }
  }
  return parts.join('\n');
}

// -- the server -----------------------------------------------------------------------------

const PAGE = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>document benchmark</title>
<script type="importmap">{"imports": {"diff-match-patch": "/vendor/diff-match-patch.js"}}</script>
</head><body><div id="editor" contenteditable="true"></div></body></html>`;

// diff-match-patch is a CommonJS file; the browser gets it as an ES module.
function diffMatchPatchModule() {
  const source = readFileSync(join(ROOT, 'node_modules/diff-match-patch/index.js'), 'utf8');
  return `const module = { exports: {} };\n${source}\nexport default module.exports;\n`;
}

function serve() {
  const headers = {
    // cross-origin isolation gives performance.now() its fine resolution
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cache-Control': 'no-store',
  };
  const server = createServer((request, response) => {
    const path = new URL(request.url, 'http://localhost').pathname;
    let body = null;
    let type = 'text/javascript; charset=utf-8';
    if (path === '/') {
      body = PAGE;
      type = 'text/html; charset=utf-8';
    } else if (path === '/vendor/diff-match-patch.js') {
      body = diffMatchPatchModule();
    } else if (path.startsWith('/js/') && extname(path) === '.js') {
      const file = normalize(join(ROOT, 'client', path));
      if (file.startsWith(join(ROOT, 'client/js'))) {
        try {
          body = readFileSync(file);
        } catch {
          body = null;
        }
      }
    }
    if (body === null) {
      response.writeHead(404, headers).end('not found');
      return;
    }
    response.writeHead(200, { ...headers, 'Content-Type': type }).end(body);
  });
  return new Promise((resolveServer) => {
    server.listen(0, '127.0.0.1', () => resolveServer(server));
  });
}

// -- in the page ----------------------------------------------------------------------------

/** Runs in the browser: returns every timing and size. */
async function measure({ html, runs }) {
  const { BlockParser, Document } = await import('/js/document.js');
  const median = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = sorted.length >> 1;
    return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  };
  const time = (fn) => {
    const started = performance.now();
    fn();
    return performance.now() - started;
  };
  const repeat = (fn) => {
    for (let i = 0; i < 5; i++) fn(); // warm-up: let the JIT settle
    return median(Array.from({ length: runs }, () => time(fn)));
  };
  const root = document.getElementById('editor');
  root.innerHTML = html;

  const parseLive = repeat(() => Document.fromHTML(root));
  const parseAndAText = repeat(() => Document.fromHTML(root).atext);
  const parseString = repeat(() => Document.fromHTML(html));
  const doc = Document.fromHTML(root);
  const render = repeat(() => doc.toHTML());

  const parser = new BlockParser(root);
  parser.observe();
  parser.parseLines();
  const paragraphs = root.querySelectorAll(':scope > p');
  let edit = 0;
  const incremental = repeat(() => {
    const paragraph = paragraphs[(edit * 7) % paragraphs.length];
    edit += 1;
    paragraph.firstChild.textContent = `edit ${edit} `;
    new Document(parser.parseLines(), parser.schema);
  });
  const reuse = parser.lastParse;
  parser.disconnect();
  const same = JSON.stringify(Document.fromHTML(root).toLines()) === JSON.stringify(new Document(parser.parseLines(), parser.schema).toLines());

  const atext = Document.fromHTML(root).atext;
  return {
    crossOriginIsolated,
    userAgent: navigator.userAgent,
    lines: doc.lineCount,
    topLevelBlocks: root.children.length,
    parseLiveMs: parseLive,
    parseWithATextMs: parseAndAText,
    parseStringMs: parseString,
    renderMs: render,
    incrementalMs: incremental,
    incrementalReuse: reuse,
    incrementalSameAsFull: same,
    htmlChars: html.length,
    renderedChars: doc.toHTML().length,
    atextTextChars: atext.text.length,
    atextAttribsChars: atext.attribs.length,
    poolPairs: Document.fromHTML(root).pool.nextNum,
  };
}

// -- main -----------------------------------------------------------------------------------

async function main() {
  const html = buildDocument(KILOBYTES);
  const server = await serve();
  const { port } = server.address();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on('pageerror', (error) => problems.push(String(error)));
    await page.goto(`http://127.0.0.1:${port}/`);
    const result = await page.evaluate(measure, { html, runs: RUNS });
    if (problems.length) throw new Error(`page errors: ${problems.join('; ')}`);
    const ms = (value) => `${value.toFixed(3)} ms`;
    const atextChars = result.atextTextChars + result.atextAttribsChars;
    console.log(`browser           ${result.userAgent.match(/(Headless)?Chrome\/[\d.]+/)[0]} (cross-origin isolated: ${result.crossOriginIsolated})`);
    console.log(`document          ${result.htmlChars} chars of HTML, ${result.topLevelBlocks} top-level blocks, ${result.lines} lines`);
    console.log(`median of ${RUNS} runs after 5 warm-up runs:`);
    console.log(`  parse live      ${ms(result.parseLiveMs)}   (target < ${TARGET_PARSE_MS} ms: ${result.parseLiveMs < TARGET_PARSE_MS ? 'met' : 'MISSED'})`);
    console.log(`  parse + atext   ${ms(result.parseWithATextMs)}`);
    console.log(`  parse string    ${ms(result.parseStringMs)}   (DOMParser + walk)`);
    console.log(`  render          ${ms(result.renderMs)}`);
    console.log(`  incremental     ${ms(result.incrementalMs)}   (one paragraph changed: ${result.incrementalReuse.parsed} block parsed, ${result.incrementalReuse.reused} reused; same as full parse: ${result.incrementalSameAsFull})`);
    console.log(`size              AText ${atextChars} chars (text ${result.atextTextChars} + attribs ${result.atextAttribsChars}, ${result.poolPairs} pool pairs)`);
    console.log(`                  vs HTML ${result.htmlChars} chars in, ${result.renderedChars} rendered: AText/HTML = ${(atextChars / result.htmlChars).toFixed(3)}`);
    console.log(JSON.stringify({ benchmark: 'document_browser', runs: RUNS, ...result, atextChars, atextToHtml: atextChars / result.htmlChars }));
  } finally {
    await browser.close();
    server.close();
  }
}

await main();
