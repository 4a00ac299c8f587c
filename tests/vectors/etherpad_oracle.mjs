// Answers vector cases with Etherpad's own changeset engine, for generate_etherpad.py.
//
//   node tests/vectors/etherpad_oracle.mjs ETHERPAD_CHECKOUT < cases.json > answers.json
//
// ETHERPAD_CHECKOUT is a checkout of github.com/ether/etherpad-lite (only
// src/static/js is read). Its Changeset.ts is bundled in memory with esbuild; the one
// import that reaches beyond the engine (pad_utils, for deprecation warnings, which
// pulls in cookies and the DOM) is replaced by a stub. Nothing of Etherpad is written
// to disk or kept in this repository: its answers are, in etherpad_engine.json.
//
// Input: {"cases": [{name, op, ...inputs}]} in the shape of tests/vectors/runner.py.
// Output: {"answers": [...]}, one per case, in the shape run_case returns, or
// {"error": "message"} where Etherpad throws.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'package.json'));
const esbuild = require('esbuild');

async function loadEtherpad(checkout) {
  const stub = {
    name: 'pad_utils stub',
    setup(build) {
      build.onResolve({ filter: /\/pad_utils$/ }, () => ({ path: 'pad_utils', namespace: 'stub' }));
      build.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
        contents: 'export default { warnDeprecated() {} };',
        loader: 'js',
      }));
    },
  };
  const entry = resolve(checkout, 'src/static/js/Changeset.ts');
  const pool = resolve(checkout, 'src/static/js/AttributePool.ts');
  const builder = resolve(checkout, 'src/static/js/Builder.ts');
  const built = await esbuild.build({
    stdin: {
      contents: `export * as Changeset from ${JSON.stringify(entry)};\n`
        + `export { default as AttributePool } from ${JSON.stringify(pool)};\n`
        + `export { Builder } from ${JSON.stringify(builder)};\n`,
      resolveDir: checkout,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'node',
    write: false,
    logLevel: 'error',
    plugins: [stub],
  });
  const code = built.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

const checkout = process.argv[2];
if (!checkout) {
  process.stderr.write('usage: node tests/vectors/etherpad_oracle.mjs ETHERPAD_CHECKOUT < cases.json\n');
  process.exit(2);
}
const { Changeset, AttributePool, Builder } = await loadEtherpad(checkout);

function poolOf(c, key = 'pool') {
  const pool = new AttributePool();
  if (c[key]) pool.fromJsonable(structuredClone(c[key]));
  return pool;
}

// Etherpad's pool serializes its own objects; copy so later calls cannot change the answer.
const poolJson = (pool) => structuredClone(pool.toJsonable());

function atextOf(c) {
  return Changeset.makeAText(c.atext.text, c.atext.attribs);
}

function run(c) {
  switch (c.op) {
    case 'make_splice': {
      const pool = poolOf(c);
      const cs = Changeset.makeSplice(c.text, c.start, c.ndel, c.ins, c.attribs ?? undefined, pool);
      return { cs, pool: poolJson(pool) };
    }
    case 'builder': {
      const pool = poolOf(c);
      const builder = new Builder(c.oldLen);
      for (const [kind, ...args] of c.steps) {
        if (kind === 'keep') builder.keep(args[0], args[1], args[2] ?? undefined, pool);
        else if (kind === 'keepText') builder.keepText(args[0], args[1] ?? undefined, pool);
        else if (kind === 'insert') builder.insert(args[0], args[1] ?? undefined, pool);
        else if (kind === 'remove') builder.remove(args[0], args[1]);
        else throw new TypeError(`no Etherpad builder step ${kind}`);
      }
      return { cs: builder.toString(), pool: poolJson(pool) };
    }
    case 'character_range_follow':
      return Changeset.characterRangeFollow(c.cs, c.start, c.end, c.insertionsAfter ?? false);
    case 'apply_to_atext': {
      const pool = poolOf(c);
      const atext = Changeset.applyToAText(c.cs, atextOf(c), pool);
      return { text: atext.text, attribs: atext.attribs };
    }
    case 'compose': {
      const pool = poolOf(c);
      return { cs: Changeset.compose(c.cs1, c.cs2, pool), pool: poolJson(pool) };
    }
    case 'follow': {
      const pool = poolOf(c);
      return { cs: Changeset.follow(c.cs1, c.cs2, c.reverse, pool), pool: poolJson(pool) };
    }
    case 'compose_attributes': {
      const pool = poolOf(c);
      const attribs = Changeset.composeAttributes(c.att1, c.att2, c.mutation, pool);
      return { attribs, pool: poolJson(pool) };
    }
    case 'follow_attributes': {
      const pool = poolOf(c);
      const attribs = Changeset.exportedForTestingOnly.followAttributes(c.att1, c.att2, pool);
      return { attribs, pool: poolJson(pool) };
    }
    default:
      throw new TypeError(`the oracle does not answer ${c.op}`);
  }
}

const { cases } = JSON.parse(readFileSync(0, 'utf8'));
const answers = cases.map((c) => {
  try {
    return run(c);
  } catch (error) {
    return { error: String(error?.message ?? error) };
  }
});
process.stdout.write(JSON.stringify({ answers }));
