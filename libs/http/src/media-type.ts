export interface MediaType {
  /** `type/subtype`, lower case. */
  essence: string;
  /** Parameter names lower case; values unquoted. */
  params: Map<string, string>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Parses a Content-Type header (RFC 9110 media-type); null when malformed. */
export function parseMediaType(header: string | undefined): MediaType | null {
  if (header === undefined) return null;
  const parts = header.split(';');
  const essence = (parts[0] ?? '').trim().toLowerCase();
  const slash = essence.indexOf('/');
  if (slash <= 0 || !TOKEN.test(essence.slice(0, slash)) || !TOKEN.test(essence.slice(slash + 1))) return null;
  const params = new Map<string, string>();
  for (const raw of parts.slice(1)) {
    const part = raw.trim();
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) return null;
    const name = part.slice(0, eq).trim().toLowerCase();
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    if (!TOKEN.test(name)) return null;
    params.set(name, value);
  }
  return { essence, params };
}
