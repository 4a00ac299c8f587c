// Attribute objects of the line form: {key: value}, all strings, never an empty value.

/**
 * Return a key equal for equal attribute objects and different otherwise (for merging runs).
 * @param {Object<string, string>} attrs
 * @returns {string}
 */
export function attrsKey(attrs) {
  const keys = Object.keys(attrs);
  if (keys.length === 0) return '';
  if (keys.length > 1) keys.sort();
  let out = '';
  for (const key of keys) out += `${key}\u0000${attrs[key]}\u0001`;
  return out;
}
