// Easysync changesets: Etherpad's wire format and its algebra, with no I/O.
// The JavaScript twin of the Python package policypad.changeset, which is the
// spec: for every input both give the same changeset strings, the same pool
// numbering and fail (ChangesetError) on the same inputs.
//
// A changeset describes one edit of a text; an AText is a text with its
// attributes; an AttributePool numbers the attributes both cite. Lengths and
// positions count UTF-16 code units. Every function that takes a changeset
// accepts the wire string or a parsed Changeset, and returns the wire string.
//
// The internals live in ./changeset/; this module is the public API. The only
// third-party import (diff-match-patch, wrapped as an ES module by `npm run build` in
// ./vendor/) is in ./changeset/diff.js.

export { ChangesetError } from './changeset/base.js';
export { AttributePool } from './changeset/pool.js';
export { Changeset, applyToText, checkRep, identity, isIdentity, pack, unpack } from './changeset/core.js';
export { AText, applyToAText, makeAText } from './changeset/atext.js';
export { compose, follow, inverse } from './changeset/algebra.js';
export { Builder, makeAttributeChange, makeSplice } from './changeset/builder.js';
export { characterRangeFollow, moveAttribsToPool, moveToPool } from './changeset/misc.js';
export { composeAttributes, followAttributes } from './changeset/attributes.js';
export {
  changesetFromATexts,
  changesetFromTexts,
  diffGroups,
  diffGroupsKeepingFinalNewline,
} from './changeset/diff.js';
