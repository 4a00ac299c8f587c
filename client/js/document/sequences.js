// Diffs of symbol sequences: the engine under the document diff (lines, words, letters).
// Twin of server/policypad/document/_sequences.py, step by step, so that both languages
// give the same ops; the module docstring there states the method:
//
// 1. the common prefix and suffix are equal;
// 2. a middle of old x new <= SMALL_CELLS cells goes to Myers' greedy diff (`greedy`), if
//    the budget allows;
// 3. else the middle is cut at the symbols found exactly once on each side, in the
//    longest run that keeps their order (patience diff); each gap goes through 1-3 again;
// 4. a gap with no such symbol goes to diff-match-patch's Myers diff if the budget still
//    allows, else it is replaced whole (deleted, then inserted).
//
// The budget counts old x new cells over one whole document diff: the work is bounded
// without a clock, since a clock would make the answer depend on the machine.

import DiffMatchPatch from '../vendor/diff-match-patch.js';

export const EQUAL = 0;
export const DELETE = -1;
export const INSERT = 1;

/** Middles up to this many cells (old symbols x new symbols) go to `greedy` at once. */
export const SMALL_CELLS = 1024;

/** Myers cells one document diff may spend. */
export const WORK_CELLS = 300_000;

/** Distinct symbols one diff-match-patch call can spell (one UTF-16 unit each, surrogates skipped). */
const MAX_SYMBOLS = 60_000;

const differ = new DiffMatchPatch();
differ.Diff_Timeout = 0; // no deadline: the answer must not depend on the clock

/**
 * @typedef {[number, number]} Op [kind (EQUAL, DELETE or INSERT), count]
 */

/** Myers cells left to spend. */
export class Budget {
  /** @param {number} [cells] */
  constructor(cells = WORK_CELLS) {
    this.cells = cells;
  }

  /**
   * Take `cells` if there are that many left.
   * @param {number} cells
   * @returns {boolean} whether they were taken
   */
  spend(cells) {
    if (cells > this.cells) return false;
    this.cells -= cells;
    return true;
  }
}

/** The character for symbol `number`: one UTF-16 unit, never a surrogate. */
function spell(number) {
  const code = 0x100 + number;
  return String.fromCharCode(code < 0xd800 ? code : code + 0x800);
}

function myers(old, a0, a1, next, b0, b1) {
  const names = new Map();
  const spellAll = (symbols, start, end) => {
    let text = '';
    for (let i = start; i < end; i++) {
      let name = names.get(symbols[i]);
      if (name === undefined) {
        name = spell(names.size);
        names.set(symbols[i], name);
      }
      text += name;
    }
    return text;
  };
  const oldText = spellAll(old, a0, a1);
  const newText = spellAll(next, b0, b1);
  return differ.diff_main(oldText, newText, false).map(([kind, piece]) => [kind, piece.length]);
}

/**
 * Myers' greedy O(ND) diff of old[a0:a1] and next[b0:b1], each diagonal's furthest point
 * kept per edit count to walk back. On diagonal k (x - y), a step comes down from k + 1 (an
 * insertion) unless k - 1 reaches further (then right: a deletion).
 * @returns {Op[]}
 */
function greedy(old, a0, a1, next, b0, b1) {
  const n = a1 - a0;
  const m = b1 - b0;
  const offset = n + m + 1;
  const furthest = new Array(2 * offset + 1).fill(0);
  const trace = [];
  for (let edits = 0; edits <= n + m; edits++) {
    for (let k = -edits; k <= edits; k += 2) {
      let x;
      if (k === -edits || (k !== edits && furthest[offset + k - 1] < furthest[offset + k + 1])) {
        x = furthest[offset + k + 1];
      } else {
        x = furthest[offset + k - 1] + 1;
      }
      let y = x - k;
      while (x < n && y < m && old[a0 + x] === next[b0 + y]) {
        x++;
        y++;
      }
      furthest[offset + k] = x;
      if (x >= n && y >= m) {
        trace.push(furthest.slice(offset - edits, offset + edits + 1));
        return walkBack(trace, n, m);
      }
    }
    trace.push(furthest.slice(offset - edits, offset + edits + 1));
  }
  throw new Error('unreachable: n + m edits always suffice');
}

/** The ops of a `greedy` run, from its trace (trace[d][k + d]: diagonal k's furthest x after d edits). */
function walkBack(trace, n, m) {
  const steps = [];
  let x = n;
  let y = m;
  for (let edits = trace.length - 1; edits > 0; edits--) {
    const before = trace[edits - 1];
    const k = x - y;
    const down = k === -edits || (k !== edits && before[k - 1 + edits - 1] < before[k + 1 + edits - 1]);
    const previousK = down ? k + 1 : k - 1;
    const previousX = before[previousK + edits - 1];
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      steps.push(EQUAL);
      x--;
      y--;
    }
    steps.push(down ? INSERT : DELETE);
    x = previousX;
    y = previousY;
  }
  for (; x > 0; x--) steps.push(EQUAL);
  steps.reverse();
  return steps.map((kind) => [kind, 1]);
}

/**
 * Positions [i, j] of symbols found once in old[a0:a1] and once in next[b0:b1], the longest
 * list of them in the same order on both sides (ties: the first found).
 */
function anchors(old, a0, a1, next, b0, b1) {
  const seen = new Map(); // symbol -> [count in old, count in new, i, j]
  for (let i = a0; i < a1; i++) {
    const entry = seen.get(old[i]);
    if (entry === undefined) seen.set(old[i], [1, 0, i, -1]);
    else entry[0]++;
  }
  for (let j = b0; j < b1; j++) {
    const entry = seen.get(next[j]);
    if (entry !== undefined) {
      entry[1]++;
      entry[3] = j;
    }
  }
  const candidates = [];
  for (const entry of seen.values()) if (entry[0] === 1 && entry[1] === 1) candidates.push([entry[2], entry[3]]);
  if (candidates.length === 0) return [];
  candidates.sort((p, q) => p[0] - q[0]);
  // Longest increasing run of j (patience sorting): tops[p] is the smallest j that ends an
  // increasing run of length p + 1.
  const tops = [];
  const topIndex = [];
  const previous = [];
  candidates.forEach(([, j], index) => {
    let low = 0;
    let high = tops.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (tops[middle] < j) low = middle + 1;
      else high = middle;
    }
    previous.push(low > 0 ? topIndex[low - 1] : -1);
    tops[low] = j;
    topIndex[low] = index;
  });
  const chain = [];
  for (let index = topIndex[topIndex.length - 1]; index >= 0; index = previous[index]) chain.push(candidates[index]);
  return chain.reverse();
}

/**
 * Return ops turning `old` into `next` (see the module comment). Deletions come before
 * insertions between two equal runs, no op is empty, and no two neighbours have one kind.
 * @param {ArrayLike<string>} old
 * @param {ArrayLike<string>} next
 * @param {Budget} budget
 * @returns {Op[]}
 */
export function diffSymbols(old, next, budget) {
  const out = [];
  // Tasks on an explicit stack (gaps can nest deeper than recursion allows), last in,
  // first out: ['ops', ops] to output, or ['gap', a0, a1, b0, b1] to diff.
  const stack = [['gap', 0, old.length, 0, next.length]];
  while (stack.length) {
    const task = stack.pop();
    if (task[0] === 'ops') out.push(...task[1]);
    else gap(old, next, task[1], task[2], task[3], task[4], budget, stack, out);
  }
  return mergeOps(out);
}

function gap(old, next, a0, a1, b0, b1, budget, stack, out) {
  let prefix = 0;
  while (a0 + prefix < a1 && b0 + prefix < b1 && old[a0 + prefix] === next[b0 + prefix]) prefix++;
  a0 += prefix;
  b0 += prefix;
  let suffix = 0;
  while (a0 < a1 - suffix && b0 < b1 - suffix && old[a1 - 1 - suffix] === next[b1 - 1 - suffix]) suffix++;
  a1 -= suffix;
  b1 -= suffix;
  if (prefix) out.push([EQUAL, prefix]);
  if (suffix) stack.push(['ops', [[EQUAL, suffix]]]);
  const n = a1 - a0;
  const m = b1 - b0;
  if (n === 0 || m === 0) {
    out.push([DELETE, n], [INSERT, m]);
    return;
  }
  const cells = n * m;
  if (cells <= SMALL_CELLS && budget.spend(cells)) {
    out.push(...greedy(old, a0, a1, next, b0, b1));
    return;
  }
  const found = anchors(old, a0, a1, next, b0, b1);
  if (found.length) {
    let endA = a1;
    let endB = b1;
    for (let index = found.length - 1; index >= 0; index--) {
      const [i, j] = found[index];
      stack.push(['gap', i + 1, endA, j + 1, endB]);
      stack.push(['ops', [[EQUAL, 1]]]);
      endA = i;
      endB = j;
    }
    stack.push(['gap', a0, endA, b0, endB]);
    return;
  }
  if (n + m <= MAX_SYMBOLS && budget.spend(cells)) {
    out.push(...myers(old, a0, a1, next, b0, b1));
    return;
  }
  out.push([DELETE, n], [INSERT, m]);
}

/**
 * Return ops with empty ones dropped, neighbours of one kind joined, and between two equal
 * runs the deletions before the insertions.
 * @param {Op[]} ops
 * @returns {Op[]}
 */
export function mergeOps(ops) {
  const merged = [];
  let deleted = 0;
  let inserted = 0;
  const flush = () => {
    if (deleted) merged.push([DELETE, deleted]);
    if (inserted) merged.push([INSERT, inserted]);
    deleted = 0;
    inserted = 0;
  };
  for (const [kind, count] of ops) {
    if (!count) continue;
    if (kind === DELETE) deleted += count;
    else if (kind === INSERT) inserted += count;
    else {
      flush();
      const last = merged[merged.length - 1];
      if (last !== undefined && last[0] === EQUAL) last[1] += count;
      else merged.push([EQUAL, count]);
    }
  }
  flush();
  return merged;
}

/**
 * Return ops as segments: each equal run [true, n, n] and each stretch of edits between two
 * [false, deleted, inserted].
 * @param {Op[]} ops
 * @returns {Array<[boolean, number, number]>}
 */
export function segments(ops) {
  const out = [];
  for (const [kind, count] of mergeOps(ops)) {
    const deleted = kind !== INSERT ? count : 0;
    const inserted = kind !== DELETE ? count : 0;
    const last = out[out.length - 1];
    if (kind !== EQUAL && last !== undefined && !last[0]) {
      last[1] += deleted;
      last[2] += inserted;
    } else {
      out.push([kind === EQUAL, deleted, inserted]);
    }
  }
  return out;
}

/**
 * Return ops with the coincidental equalities turned into edits: an equal run with edits on
 * both sides, no longer (in characters: oldSizes[i] is old symbol i's) than the larger side
 * of the edit before it and of the edit after it, is deleted and inserted instead. Repeated
 * until no run qualifies; the common prefix and suffix are never touched.
 * @param {Op[]} ops
 * @param {number[]} oldSizes
 * @param {number[]} newSizes
 * @returns {Op[]}
 */
export function cleanupSemantic(ops, oldSizes, newSizes) {
  const oldEnds = runningSums(oldSizes);
  const newEnds = runningSums(newSizes);
  for (;;) {
    // each segment weighs its characters (an edit its larger side)
    const weighted = []; // [equal?, old count, new count, weight]
    let oldAt = 0;
    let newAt = 0;
    for (const [equal, deleted, inserted] of segments(ops)) {
      const weight = Math.max(oldEnds[oldAt + deleted] - oldEnds[oldAt], newEnds[newAt + inserted] - newEnds[newAt]);
      weighted.push([equal, deleted, inserted, weight]);
      oldAt += deleted;
      newAt += inserted;
    }
    const rewritten = [];
    let changed = false;
    weighted.forEach(([equal, first, second, weight], position) => {
      const coincidental =
        equal &&
        position > 0 &&
        position < weighted.length - 1 &&
        weight <= weighted[position - 1][3] &&
        weight <= weighted[position + 1][3];
      if (equal && !coincidental) rewritten.push([EQUAL, first]);
      else rewritten.push([DELETE, first], [INSERT, second]);
      changed = changed || coincidental;
    });
    ops = mergeOps(rewritten);
    if (!changed) return ops;
  }
}

function runningSums(sizes) {
  const sums = [0];
  for (const size of sizes) sums.push(sums[sums.length - 1] + size);
  return sums;
}
