// Runs one shared test-vector case with the JavaScript engine.
//
// Twin of tests/vectors/runner.py: a case is {name, op, ...inputs}; runCase returns
// what the engine gives, as JSON data, or {error: true} when it throws
// ChangesetError. Any other exception propagates, as in Python.

import {
  AttributePool,
  Builder,
  ChangesetError,
  applyToAText,
  applyToText,
  changesetFromATexts,
  changesetFromTexts,
  characterRangeFollow,
  diffGroups,
  diffGroupsKeepingFinalNewline,
  checkRep,
  compose,
  composeAttributes,
  follow,
  followAttributes,
  inverse,
  makeAText,
  makeAttributeChange,
  makeSplice,
  moveToPool,
  pack,
  unpack,
} from '../../client/js/changeset.js';

// Python's truthiness, for flags read from JSON ([] and {} are false there).
function truthy(value) {
  if (Array.isArray(value)) return value.length > 0;
  if (value !== null && typeof value === 'object') return Object.keys(value).length > 0;
  return Boolean(value);
}

// The diff a changeset_from_* case asks for: plain, or keeping the old final newline.
function diffOf(c) {
  return truthy(c.keepFinalNewline ?? false) ? diffGroupsKeepingFinalNewline : diffGroups;
}

function poolOf(c, key = 'pool') {
  const data = c[key];
  return data !== undefined && data !== null ? AttributePool.fromJsonable(data) : new AttributePool();
}

function required(c, key) {
  if (!(key in c)) throw new TypeError(`case ${JSON.stringify(c.name)} lacks ${JSON.stringify(key)}`);
  return c[key];
}

function atextOf(c) {
  const data = required(c, 'atext');
  return makeAText(required(data, 'text'), required(data, 'attribs'));
}

/**
 * Return the engine's answer to a vector case as JSON data, or {error: true}.
 * @param {object} c the case: {name, op, ...inputs}
 * @returns {*}
 * @throws {Error} anything but ChangesetError (a broken case or engine)
 */
export function runCase(c) {
  try {
    return run(c);
  } catch (error) {
    if (error instanceof ChangesetError) return { error: true };
    throw error;
  }
}

function run(c) {
  const op = c.op;
  switch (op) {
    case 'unpack': {
      const parsed = unpack(required(c, 'cs'));
      return {
        oldLen: parsed.oldLen,
        newLen: parsed.newLen,
        ops: parsed.ops.map((o) => [o.opcode, o.chars, o.lines, o.attribs]),
        charBank: parsed.charBank,
      };
    }
    case 'pack': {
      const ops = required(c, 'ops').map((o) => {
        if (o.length < 2 || o.length > 4) throw new TypeError(`an op has 2 to 4 fields, got ${JSON.stringify(o)}`);
        return { opcode: o[0], chars: o[1], lines: o.length > 2 ? o[2] : 0, attribs: o.length > 3 ? o[3] : '' };
      });
      return pack(required(c, 'oldLen'), required(c, 'newLen'), ops, required(c, 'charBank'));
    }
    case 'check_rep':
      checkRep(required(c, 'cs'), 'pool' in c ? poolOf(c) : null);
      return true;
    case 'apply_to_text':
      return applyToText(required(c, 'cs'), required(c, 'text'));
    case 'apply_to_atext': {
      const atext = atextOf(c);
      return applyToAText(required(c, 'cs'), atext, poolOf(c)).toJsonable();
    }
    case 'compose': {
      const pool = poolOf(c);
      return { cs: compose(required(c, 'cs1'), required(c, 'cs2'), pool), pool: pool.toJsonable() };
    }
    case 'follow': {
      const pool = poolOf(c);
      const result = follow(required(c, 'cs1'), required(c, 'cs2'), truthy(required(c, 'reverse')), pool);
      return { cs: result, pool: pool.toJsonable() };
    }
    case 'inverse': {
      const pool = poolOf(c);
      const atext = atextOf(c);
      return { cs: inverse(required(c, 'cs'), atext, pool), pool: pool.toJsonable() };
    }
    case 'make_splice': {
      const pool = poolOf(c);
      const result = makeSplice(
        required(c, 'text'),
        required(c, 'start'),
        required(c, 'ndel'),
        required(c, 'ins'),
        c.attribs ?? null,
        pool,
      );
      return { cs: result, pool: pool.toJsonable() };
    }
    case 'make_attribute_change': {
      const pool = poolOf(c);
      const result = makeAttributeChange(
        required(c, 'text'),
        required(c, 'start'),
        required(c, 'end'),
        required(c, 'attribs'),
        pool,
      );
      return { cs: result, pool: pool.toJsonable() };
    }
    case 'character_range_follow':
      return characterRangeFollow(
        required(c, 'cs'),
        required(c, 'start'),
        required(c, 'end'),
        truthy(c.insertionsAfter ?? false),
      );
    case 'changeset_from_texts':
      return changesetFromTexts(required(c, 'old'), required(c, 'new'), diffOf(c));
    case 'changeset_from_atexts': {
      const pool = poolOf(c);
      const oldAText = makeAText(c.old.text, c.old.attribs);
      const newAText = makeAText(c.new.text, c.new.attribs);
      const cs = changesetFromATexts(oldAText, newAText, pool, diffOf(c));
      return { cs, pool: pool.toJsonable() };
    }
    case 'builder': {
      const pool = poolOf(c);
      const builder = new Builder(required(c, 'oldLen'));
      for (const [kind, ...args] of required(c, 'steps')) {
        if ((kind === 'keep' || kind === 'remove') && args.length < 2) {
          throw new TypeError(`builder step ${kind} needs chars and lines`);
        }
        if (kind === 'keep') builder.keep(args[0], args[1], args.length > 2 ? args[2] : null, pool);
        else if (kind === 'keepText') builder.keepText(args[0], args.length > 1 ? args[1] : null, pool);
        else if (kind === 'insert') builder.insert(args[0], args.length > 1 ? args[1] : null, pool);
        else if (kind === 'remove') builder.remove(args[0], args[1]);
        else if (kind === 'removeText') builder.removeText(args[0]);
        else throw new Error(`unknown builder step ${JSON.stringify(kind)}`);
      }
      return { cs: builder.toString(), pool: pool.toJsonable() };
    }
    case 'move_to_pool': {
      const source = poolOf(c, 'from');
      const target = poolOf(c, 'to');
      return { cs: moveToPool(required(c, 'cs'), source, target), pool: target.toJsonable() };
    }
    case 'compose_attributes': {
      const pool = poolOf(c);
      const result = composeAttributes(required(c, 'att1'), required(c, 'att2'), truthy(required(c, 'mutation')), pool);
      return { attribs: result, pool: pool.toJsonable() };
    }
    case 'follow_attributes': {
      const pool = poolOf(c);
      const result = followAttributes(required(c, 'att1'), required(c, 'att2'), pool);
      return { attribs: result, pool: pool.toJsonable() };
    }
    case 'pool_roundtrip':
      return AttributePool.fromJsonable(required(c, 'pool')).toJsonable();
    default:
      throw new Error(`unknown vector op ${JSON.stringify(op)}`);
  }
}
