// util.mjs: small helpers shared by the adapter modules (hex, PEM, verdict objects).
import { readFileSync } from 'node:fs';
// No checks live here; see README.md for which checks are library and which are glue.

/** An error that maps onto a protocol error code (unimplemented | bad_request | internal). */
export class ProtoError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

export const unimplemented = (msg) => new ProtoError('unimplemented', msg);
export const badRequest = (msg) => new ProtoError('bad_request', msg);

/** Verdict helpers: reason is a stirmls reason NAME or "" when the library did not establish one. */
export function accept(identities = [], native = '') {
  return { verdict: 'accept', reason: '', native, identities };
}
export function reject(reason, native, identities = []) {
  return { verdict: 'reject', reason: reason || '', native: String(native ?? ''), identities };
}

export function hexToBytes(hex, what = 'hex') {
  if (typeof hex !== 'string' || hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw badRequest(`${what} is not an even-length hex string`);
  }
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

export const bytesToHex = (b) => Buffer.from(b).toString('hex');

export function bytesEqual(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Every CERTIFICATE block of a PEM text, as DER bytes, in order. */
export function pemToDerList(pem) {
  if (typeof pem !== 'string') throw badRequest('PEM must be a string');
  const out = [];
  const re = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
  let m;
  while ((m = re.exec(pem)) !== null) out.push(Uint8Array.from(Buffer.from(m[1].replace(/\s+/g, ''), 'base64')));
  return out;
}

/** A list of PEM strings (each may hold several blocks) flattened to DER certificates. */
export function pemsToDers(list, what) {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw badRequest(`${what} must be an array of PEM strings`);
  return list.flatMap((p) => pemToDerList(p));
}

export function errText(e) {
  if (e === null || e === undefined) return '';
  if (typeof e === 'string') return e;
  if (e.resultMessage !== undefined) return `pkijs code ${e.resultCode}: ${e.resultMessage}`;
  const code = e.code ? `${e.code}: ` : '';
  return `${e.name && e.name !== 'Error' ? e.name + ' ' : ''}${code}${e.message ?? String(e)}`;
}

/** Installed versions of the libraries, read from node_modules (for hello). */
export function libraryVersions() {
  const out = [];
  for (const name of ['jose', 'pkijs', '@peculiar/asn1-schema', 'ts-mls', '@noble/curves']) {
    try {
      const pj = JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url), 'utf8'));
      out.push(`${name}@${pj.version}`);
    } catch {
      out.push(`${name}@?`);
    }
  }
  return out.join(' ');
}
