/** The parts of a `From` header worth showing: the display name a sender chose and the address. */
export interface FromParts {
  name?: string;
  address?: string;
}

/**
 * Splits a `From` header (RFC 5322 §3.4) into display name and address:
 * `"Alice Example" <alice@example.com>`, `Alice <a@x>`, `<a@x>`, `a@x`, `a@x (Alice)`, quoted names
 * with `\"` escapes. Anything else is kept whole as the name, so nothing a sender wrote is hidden.
 */
export function parseFrom(raw: string): FromParts {
  const header = raw.trim();
  const angle = /^(.*?)\s*<([^<>]*)>$/s.exec(header);
  if (angle) return parts(unquote(angle[1] ?? ''), angle[2] ?? '');
  const comment = /^(\S+@\S+)\s*\((.*)\)$/s.exec(header);
  if (comment) return parts(comment[2] ?? '', comment[1] ?? '');
  if (/^\S+@\S+$/.test(header)) return parts('', header);
  return parts(unquote(header), '');
}

function parts(name: string, address: string): FromParts {
  const result: FromParts = {};
  const trimmedName = name.trim();
  const trimmedAddress = address.trim();
  if (trimmedName) result.name = trimmedName;
  if (trimmedAddress) result.address = trimmedAddress;
  return result;
}

/** `"Smith, \"Bob\""` → `Smith, "Bob"`; some mailers wrap names in single quotes instead. */
function unquote(name: string): string {
  const text = name.trim();
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    return text.slice(1, -1).replace(/\\(.)/gs, '$1');
  }
  if (text.length >= 2 && text.startsWith("'") && text.endsWith("'")) return text.slice(1, -1);
  return text;
}
