// Writes client/js/vendor/diff-match-patch.js: npm's diff-match-patch (CommonJS) wrapped as
// an ES module, so that the client's modules import it by a relative path and work in a
// page with no import map and no bundler. Run by `npm run build`; the output is not
// committed (it is the npm package's code).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const source = readFileSync(require.resolve('diff-match-patch'), 'utf8');
const { version, license } = JSON.parse(readFileSync(require.resolve('diff-match-patch/package.json'), 'utf8'));
const out = join(root, 'client', 'js', 'vendor', 'diff-match-patch.js');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, [
  `// diff-match-patch ${version} (${license}) from npm, wrapped as an ES module by`,
  '// scripts/vendor-diff-match-patch.mjs. Generated: do not edit, not committed.',
  'const module = { exports: {} };',
  source,
  'export default module.exports;',
  '',
].join('\n'));
