// diffLines: the change between two revisions, as one merged document. Twin of
// server/policypad/document/diff.py, whose docstring (and docs/document-model.md, "Diff")
// states the rules; both give the same merged lines and, rendered, the same HTML.
//
// A document is diffed as a sequence of units, and so is each unit kept on both sides: a
// document holds lines outside tables and tables, a table rows, a row cells, a cell lines.

import {
  DELETED,
  DIFF,
  DIFF_BEFORE,
  INSERTED,
  REBLOCKED,
  TABLE_IDS,
  encodeAttributes,
  isVisibleBlockChange,
  visibleBlock,
} from './changes.js';
import { EMBED } from './parse.js';
import { diffRuns, keptRuns, lineKey, sameAttributes, sameRuns, words } from './run-diff.js';
import { Budget, DELETE, EQUAL, INSERT, diffSymbols, mergeOps, segments } from './sequences.js';

/** A word in more new units than this says nothing about which units are alike. */
export const COMMON_WORD_LINES = 64;

// Levels of the diff, each named after what it diffs, and the kinds of unit they hold.
const DOCUMENT = 'document';
const TABLE = 'table';
const ROW = 'row';
const CELL = 'cell';
const LINE = 'line';

/** What a deleted line inside a kept table, row or cell shows of it. */
const INSIDE = {
  [TABLE]: ['table'],
  [ROW]: ['table', 'row', 'head'],
  [CELL]: ['table', 'row', 'cell', 'head', 'th', 'colspan', 'rowspan'],
};

/**
 * Return the merged document of `old` and `next`.
 * @param {Array<[Array<[string, object]>, object]>} old
 * @param {Array<[Array<[string, object]>, object]>} next
 * @returns {Array<[Array<[string, object]>, object]>}
 */
export function diffLines(old, next) {
  const differ = new Differ(next);
  differ.diff(old, next, DOCUMENT, null);
  return differ.out;
}

/** Consecutive lines with one value of block attribute `key` (absent: one line each). */
function groups(lines, key) {
  const units = [];
  let previous;
  for (const line of lines) {
    const value = line[1][key];
    if (value !== undefined && units.length && value === previous) units[units.length - 1].push(line);
    else units.push([line]);
    previous = value;
  }
  return units;
}

function unitsOf(lines, level) {
  if (level === DOCUMENT) return groups(lines, 'table');
  if (level === TABLE) return groups(lines, 'row');
  if (level === ROW) return groups(lines, 'cell');
  return lines.map((line) => [line]);
}

function kindOf(unit, level) {
  if (level === DOCUMENT) return unit[0][1].table !== undefined ? TABLE : LINE;
  return { [TABLE]: ROW, [ROW]: CELL, [CELL]: LINE }[level];
}

function isHead(unit) {
  return unit[0][1].head === 'true';
}

function isRule(runs) {
  return runs.length === 1 && runs[0][0] === EMBED && runs[0][1].embed === 'hr' && Object.keys(runs[0][1]).length === 1;
}

/** What makes two units the same text (kinds never share a key). */
function unitKey(unit, kind) {
  if (kind === LINE) return `L${lineKey(unit[0][0])}`;
  if (kind === CELL) return `C${unit.map(([runs]) => lineKey(runs)).join('\u0001')}`;
  if (kind === ROW) {
    return `R${isHead(unit) ? 'H' : ''}${groups(unit, 'cell').map((cell) => unitKey(cell, CELL)).join('\u0002')}`;
  }
  return `T${groups(unit, 'row').map((row) => unitKey(row, ROW)).join('\u0003')}`;
}

/** What a unit looks like, words aside (see diff.py's `_shape`). */
function shapeOf(unit, kind) {
  const first = unit[0][1];
  if (kind === TABLE) return 'T';
  if (kind === ROW) return `R${first.head ?? ''}`;
  const rule = kind === LINE && isRule(unit[0][0]) ? 'hr' : '';
  return `${kind[0]}${rule}${encodeAttributes(visibleBlock(first))}`;
}

function sameUnit(a, b) {
  return a.length === b.length && a.every((line, k) => sameAttributes(line[1], b[k][1]) && sameRuns(line[0], b[k][0]));
}

/** One document diff: its budget, the ids deleted lines show, and the merged lines. */
class Differ {
  constructor(next) {
    this.budget = new Budget();
    this.out = [];
    this.fresh = new Map(TABLE_IDS.map((key) => [key, new Map()]));
    this.taken = new Map(TABLE_IDS.map((key) => [key, new Set()]));
    for (const [, block] of next) {
      for (const key of TABLE_IDS) if (block[key] !== undefined) this.taken.get(key).add(block[key]);
    }
  }

  /** Add the merged lines of the content of one unit kept on both sides. */
  diff(old, next, level, within) {
    const oldUnits = unitsOf(old, level);
    const newUnits = unitsOf(next, level);
    for (const [kind, i, j] of this.steps(oldUnits, newUnits, level)) {
      if (kind === DELETE) {
        this.deleted(oldUnits[i], within, INSIDE[level] ?? []);
      } else if (kind === INSERT) {
        this.inserted(newUnits[j]);
      } else {
        const unitKind = kindOf(oldUnits[i], level);
        if (unitKind === LINE) this.out.push(this.kept(oldUnits[i][0], newUnits[j][0]));
        else this.diff(oldUnits[i], newUnits[j], unitKind, newUnits[j][0][1]);
      }
    }
  }

  /** Which units are kept (paired), deleted and inserted, in merged order. */
  steps(old, next, level) {
    let head = 0;
    while (head < Math.min(old.length, next.length) && sameUnit(old[head], next[head])) head++;
    let tail = 0;
    while (tail < Math.min(old.length, next.length) - head && sameUnit(old[old.length - 1 - tail], next[next.length - 1 - tail])) tail++;
    const keys = (units) => units.slice(head, units.length - tail).map((unit) => unitKey(unit, kindOf(unit, level)));
    const ops = mergeOps([[EQUAL, head], ...diffSymbols(keys(old), keys(next), this.budget), [EQUAL, tail]]);
    const steps = [];
    let oldAt = 0;
    let newAt = 0;
    for (const [equal, deleted, inserted] of segments(ops)) {
      if (equal) for (let k = 0; k < deleted; k++) steps.push([EQUAL, oldAt + k, newAt + k]);
      else for (const step of this.stretch(old, oldAt, deleted, next, newAt, inserted, level)) steps.push(step);
      oldAt += deleted;
      newAt += inserted;
    }
    return steps;
  }

  /**
   * The steps of replaced units old[a0:a0+n] / next[b0:b0+m]: pairs kept, the others deleted,
   * then inserted, between them (in a table, header rows first).
   */
  stretch(old, a0, n, next, b0, m, level) {
    const pairs = n && m ? pairUnits(old.slice(a0, a0 + n), next.slice(b0, b0 + m), level) : [];
    const steps = [];
    let doneOld = 0;
    let doneNew = 0;
    for (const [i, j] of [...pairs, [n, m]]) {
      let gap = [];
      for (let k = doneOld; k < i; k++) gap.push([DELETE, a0 + k, -1]);
      for (let k = doneNew; k < j; k++) gap.push([INSERT, -1, b0 + k]);
      if (level === TABLE) {
        // header rows first, as render shows them (a stable partition, like Python's sort)
        const headOf = (step) => isHead(step[0] === DELETE ? old[step[1]] : next[step[2]]);
        gap = [...gap.filter(headOf), ...gap.filter((step) => !headOf(step))];
      }
      for (const step of gap) steps.push(step);
      if (i < n) steps.push([EQUAL, a0 + i, b0 + j]);
      doneOld = i + 1;
      doneNew = j + 1;
    }
    return steps;
  }

  /** A line in both revisions: its runs and block compared. */
  kept(old, next) {
    const [oldRuns, oldBlock] = old;
    const [newRuns, newBlock] = next;
    const sameBlock = sameAttributes(oldBlock, newBlock);
    if (sameBlock && sameRuns(oldRuns, newRuns)) return next;
    const runs = lineKey(oldRuns) === lineKey(newRuns) ? keptRuns(oldRuns, newRuns) : diffRuns(oldRuns, newRuns, this.budget);
    if (sameBlock) return [runs, newBlock];
    const block = { ...newBlock, [DIFF_BEFORE]: encodeAttributes(oldBlock) };
    if (isVisibleBlockChange(oldBlock, newBlock)) block[DIFF] = REBLOCKED;
    return [runs, block];
  }

  inserted(unit) {
    for (const [runs, block] of unit) {
      this.out.push([runs.map(([text, attrs]) => [text, { ...attrs, [DIFF]: INSERTED }]), { ...block, [DIFF]: INSERTED }]);
    }
  }

  /** Deleted lines: the keys in `inside` are the kept container's, other table ids new ones. */
  deleted(unit, within, inside) {
    for (const [runs, block] of unit) {
      const shown = { ...block };
      for (const key of inside) {
        if (within !== null && within[key] !== undefined) shown[key] = within[key];
        else delete shown[key];
      }
      for (const key of TABLE_IDS) {
        if (block[key] !== undefined && !inside.includes(key)) shown[key] = this.freshId(key, block[key]);
      }
      if (!sameAttributes(shown, block)) shown[DIFF_BEFORE] = encodeAttributes(block);
      shown[DIFF] = DELETED;
      this.out.push([runs.map(([text, attrs]) => [text, { ...attrs, [DIFF]: DELETED }]), shown]);
    }
  }

  /** An id under `key` no new line has, one per old id. */
  freshId(key, oldId) {
    const fresh = this.fresh.get(key);
    if (!fresh.has(oldId)) {
      let candidate = `~${oldId}`; // "~" is in no id a parse writes
      while (this.taken.get(key).has(candidate)) candidate = `~${candidate}`;
      this.taken.get(key).add(candidate);
      fresh.set(oldId, candidate);
    }
    return fresh.get(oldId);
  }
}

function wordsOf(unit) {
  if (unit.length === 1) return words(unit[0][0]);
  const found = new Set();
  for (const [runs] of unit) for (const word of words(runs)) found.add(word);
  return found;
}

/** Pairs [i, j] of units to keep, in order on both sides, of one kind (see diff.py's `_pairs`). */
function pairUnits(old, next, level) {
  const oldKinds = old.map((unit) => kindOf(unit, level));
  const newKinds = next.map((unit) => kindOf(unit, level));
  const chain = alikeChain(
    old.map(wordsOf),
    next.map(wordsOf),
    (i, j) => oldKinds[i] === newKinds[j] && (oldKinds[i] !== ROW || isHead(old[i]) === isHead(next[j])),
  );
  const pairs = [];
  let oldAt = 0;
  let newAt = 0;
  for (const [i, j] of [...chain, [old.length, next.length]]) {
    const gapOld = i - oldAt;
    const gapNew = j - newAt;
    for (let k = 0; k < Math.min(gapOld, gapNew); k++) {
      const a = old[oldAt + k];
      const b = next[newAt + k];
      const kind = oldKinds[oldAt + k];
      const inTable = kind !== LINE || (a[0][1].table !== undefined && b[0][1].table !== undefined);
      if (kind === newKinds[newAt + k] && (gapOld === gapNew || inTable) && shapeOf(a, kind) === shapeOf(b, kind)) {
        pairs.push([oldAt + k, newAt + k]);
      }
    }
    if (i < old.length) pairs.push([i, j]);
    oldAt = i + 1;
    newAt = j + 1;
  }
  return pairs;
}

/** Whether two units sharing `shared` words are alike: half the shorter one's, a quarter of the longer one's. */
function alike(shared, oldWords, newWords) {
  return 2 * shared >= Math.min(oldWords, newWords) && 4 * shared >= Math.max(oldWords, newWords);
}

/** Whether entry a = [weight, index] is less than entry b (by weight, then index). */
function less(a, b) {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}

/** The heaviest chain of alike pairs, increasing on both sides (see diff.py's `_alike_chain`). */
function alikeChain(old, next, agree) {
  const unitsWith = new Map();
  next.forEach((found, j) => {
    for (const word of found) {
      const js = unitsWith.get(word);
      if (js === undefined) unitsWith.set(word, [j]);
      else js.push(j);
    }
  });
  const candidates = [];
  old.forEach((found, i) => {
    const shared = new Map();
    for (const word of found) {
      const js = unitsWith.get(word);
      if (js === undefined || js.length > COMMON_WORD_LINES) continue;
      for (const j of js) shared.set(j, (shared.get(j) ?? 0) + 1);
    }
    for (const j of [...shared.keys()].sort((a, b) => a - b)) {
      if (alike(shared.get(j), found.size, next[j].size) && agree(i, j)) candidates.push([i, j, 1 + shared.get(j)]);
    }
  });
  if (candidates.length === 0) return [];
  // Heaviest increasing chain: a Fenwick tree over j keeps, for each prefix of j, the best
  // chain so far as [weight, candidate index]; the candidates of one i are scored before
  // any of them is added, so that no two of them chain.
  const size = next.length;
  const tree = Array.from({ length: size + 1 }, () => [0, -1]);
  const best = []; // per candidate: [chain weight, previous candidate]
  let start = 0;
  while (start < candidates.length) {
    let end = start;
    while (end < candidates.length && candidates[end][0] === candidates[start][0]) end++;
    for (let index = start; index < end; index++) {
      const [, j, weight] = candidates[index];
      let found = [0, -1];
      for (let position = j; position > 0; position -= position & -position) {
        if (less(found, tree[position])) found = tree[position];
      }
      best.push([found[0] + weight, found[1]]);
    }
    for (let index = start; index < end; index++) {
      const entry = [best[index][0], index];
      for (let position = candidates[index][1] + 1; position <= size; position += position & -position) {
        if (less(tree[position], entry)) tree[position] = entry;
      }
    }
    start = end;
  }
  let index = 0;
  for (let k = 1; k < candidates.length; k++) if (!less([best[k][0], k], [best[index][0], index])) index = k;
  const chain = [];
  for (; index >= 0; index = best[index][1]) chain.push([candidates[index][0], candidates[index][1]]);
  return chain.reverse();
}
