// The attribute pool: numbers for (key, value) attribute pairs. Twin of pool.py.
//
// Changesets and attributions never spell attributes out; they cite pool numbers,
// "*0*3" meaning attributes 0 and 3. A pool only grows, so a number, once given,
// means the same pair for the pool's lifetime. Its JSON form is Etherpad's:
//   {"numToAttrib": {"0": ["author", "a.1"], "1": ["bold", "true"]}, "nextNum": 2}

import { ChangesetError } from './base.js';

function isPlainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A growing two-way map between attribute numbers and [key, value] pairs. */
export class AttributePool {
  constructor() {
    /** @type {Map<number, [string, string]>} */
    this._numToAttrib = new Map();
    // key -> value -> number: two lookups beat building a combined key string
    /** @type {Map<string, Map<string, number>>} */
    this._attribToNum = new Map();
    /** The number the next new pair gets. */
    this.nextNum = 0;
    // Memo for derived attribute strings (compose/follow results); valid for the
    // pool's lifetime because numbers are never reassigned.
    /** @type {Map<string, string>} */
    this._cache = new Map();
  }

  /**
   * Return the number of `attrib`, adding it if new.
   * @param {[string, string]} attrib a [key, value] pair
   * @param {boolean} [lookupOnly] if true, an unknown pair is not added and -1 is returned
   * @returns {number}
   * @throws {TypeError} when a pair to add is not two strings (a programming error)
   */
  putAttrib(attrib, lookupOnly = false) {
    const [key, value] = attrib;
    if (typeof key !== 'string' || typeof value !== 'string') {
      if (lookupOnly) return -1;
      throw new TypeError(`attribute key and value must be strings, got ${JSON.stringify(attrib)}`);
    }
    let values = this._attribToNum.get(key);
    const num = values === undefined ? undefined : values.get(value);
    if (num !== undefined) return num;
    if (lookupOnly) return -1;
    const fresh = this.nextNum;
    this.nextNum += 1;
    this._numToAttrib.set(fresh, [key, value]);
    if (values === undefined) this._attribToNum.set(key, (values = new Map()));
    values.set(value, fresh);
    return fresh;
  }

  /**
   * Return the [key, value] pair numbered `num`.
   * @param {number} num
   * @returns {[string, string]}
   * @throws {ChangesetError} if the pool has no such number
   */
  getAttrib(num) {
    const pair = this._numToAttrib.get(num);
    if (pair === undefined) throw new ChangesetError(`attribute number ${num} is not in the pool`);
    return pair;
  }

  /**
   * Return whether the pool holds a pair numbered `num`.
   * @param {number} num
   * @returns {boolean}
   */
  hasAttrib(num) {
    return this._numToAttrib.has(num);
  }

  /**
   * Return the key of attribute `num`.
   * @param {number} num
   * @returns {string}
   * @throws {ChangesetError} if the pool has no such number
   */
  getAttribKey(num) {
    return this.getAttrib(num)[0];
  }

  /**
   * Return the value of attribute `num`.
   * @param {number} num
   * @returns {string}
   * @throws {ChangesetError} if the pool has no such number
   */
  getAttribValue(num) {
    return this.getAttrib(num)[1];
  }

  /** Number of pairs in the pool. */
  get size() {
    return this._numToAttrib.size;
  }

  /**
   * Return an independent copy of this pool.
   * @returns {AttributePool}
   */
  copy() {
    return AttributePool.fromJsonable(this.toJsonable());
  }

  /**
   * Return the pool in Etherpad's JSON form.
   * @returns {{numToAttrib: Object<string, [string, string]>, nextNum: number}}
   */
  toJsonable() {
    const numToAttrib = {};
    const nums = [...this._numToAttrib.keys()].sort((a, b) => a - b);
    for (const num of nums) {
      const [key, value] = this._numToAttrib.get(num);
      numToAttrib[String(num)] = [key, value];
    }
    return { numToAttrib, nextNum: this.nextNum };
  }

  /** @returns {{numToAttrib: Object<string, [string, string]>, nextNum: number}} the JSON form */
  toJSON() {
    return this.toJsonable();
  }

  /**
   * Build a pool from its JSON form.
   * @param {{numToAttrib: Object<string, [string, string]>, nextNum?: number}} data
   * @returns {AttributePool}
   * @throws {ChangesetError} if the form is malformed
   */
  static fromJsonable(data) {
    const pool = new AttributePool();
    if (!isPlainObject(data) || !Object.hasOwn(data, 'numToAttrib') || !isPlainObject(data.numToAttrib)) {
      throw new ChangesetError("a pool needs a 'numToAttrib' object");
    }
    const nextNum = Object.hasOwn(data, 'nextNum') ? data.nextNum : 0;
    for (const [numText, pair] of Object.entries(data.numToAttrib)) {
      if (!/^[0-9]+$/.test(numText)) {
        throw new ChangesetError(`pool number ${JSON.stringify(numText)} is not a decimal number`);
      }
      if (!(Array.isArray(pair) && pair.length === 2 && pair.every((part) => typeof part === 'string'))) {
        throw new ChangesetError(`pool entry ${numText} must be [key, value], got ${JSON.stringify(pair)}`);
      }
      const num = parseInt(numText, 10);
      let values = pool._attribToNum.get(pair[0]);
      if (values === undefined) pool._attribToNum.set(pair[0], (values = new Map()));
      if (values.has(pair[1])) {
        throw new ChangesetError(`pool entry ${num} repeats attribute ${JSON.stringify(pair)}`);
      }
      pool._numToAttrib.set(num, [pair[0], pair[1]]);
      values.set(pair[1], num);
    }
    if (typeof nextNum !== 'number' || !Number.isInteger(nextNum)) {
      throw new ChangesetError(`pool nextNum must be an integer, got ${JSON.stringify(nextNum)}`);
    }
    let next = nextNum;
    for (const num of pool._numToAttrib.keys()) if (num + 1 > next) next = num + 1;
    pool.nextNum = next;
    return pool;
  }
}
