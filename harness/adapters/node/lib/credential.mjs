// credential.mjs: the two STIR credential bodies (CT-02, CT-03) and their validation, offered to
// ts-mls as an AuthenticationService (its validateCredential(credential, signaturePublicKey) hook).
//
// Parsing uses ts-mls's own TLS codec primitives (uint16Decoder, varLenDataDecoder,
// varLenTypeDecoder); the credential-type dispatch, the "no bytes left over" rule, the
// leaf-key == signature_key comparison and the type checks are glue.
import { uint16Decoder, varLenDataDecoder, varLenTypeDecoder } from './tsmls.mjs';
import { validateChain, checkCoverage, certPublicKeyBytes } from './chain.mjs';
import { verifyPassport } from './passport.mjs';
import { reject, accept, bytesEqual, unimplemented, errText } from './util.mjs';

export const GREASE = new Set([0x0a0a, 0x1a1a, 0x2a2a, 0x3a3a, 0x4a4a, 0x5a5a, 0x6a6a, 0x7a7a,
  0x8a8a, 0x9a9a, 0xaaaa, 0xbaba, 0xcaca, 0xdada, 0xeaea]);

/** Codepoints from policy.credential_types (any key naming "cert"/"passport"), else 0xF051/0xF052. */
export function codepoints(policy) {
  const ct = policy?.credential_types ?? {};
  let cert = 0xf051;
  let ppt = 0xf052;
  for (const [k, v] of Object.entries(ct)) {
    if (typeof v !== 'number') continue;
    if (/cert/i.test(k)) cert = v;
    else if (/passport/i.test(k)) ppt = v;
  }
  return { cert, ppt };
}

/** Entries of a Certificate certificates<V> vector whose CONTENT is `data` (as ts-mls hands it over). */
export function certsFromVectorContent(data) {
  const out = [];
  let off = 0;
  while (off < data.length) {
    const r = varLenDataDecoder(data, off);
    if (r === undefined) throw new Error(`certificates vector: entry at offset ${off} does not decode`);
    out.push(r[0]);
    off += r[1];
  }
  return out;
}

/**
 * Parse a full Credential struct (uint16 type + body). Returns {type, certs, passport, rest}.
 * `rest` = number of bytes left after the body (glue rejects it).
 */
export function parseCredential(bytes, cps) {
  try {
    return parseCredentialUnsafe(bytes, cps);
  } catch (e) {
    return { error: `ts-mls codec: ${errText(e)}` }; // ts-mls's decoders throw CodecError on short input
  }
}

function parseCredentialUnsafe(bytes, cps) {
  const t = uint16Decoder(bytes, 0);
  if (t === undefined) return { error: 'credential shorter than its type field' };
  const type = t[0];
  let off = 2;
  if (type === cps.cert) {
    const c = varLenTypeDecoder(varLenDataDecoder)(bytes, off);
    if (c === undefined) return { type, error: 'certificates<V> does not decode (ts-mls codec)' };
    off += c[1];
    return { type, certs: c[0], passport: null, rest: bytes.length - off };
  }
  if (type === cps.ppt) {
    const p = varLenDataDecoder(bytes, off);
    if (p === undefined) return { type, error: 'passport<V> does not decode (ts-mls codec)' };
    off += p[1];
    const c = varLenTypeDecoder(varLenDataDecoder)(bytes, off);
    if (c === undefined) return { type, error: 'certificates<V> does not decode (ts-mls codec)' };
    off += c[1];
    return { type, certs: c[0], passport: Buffer.from(p[0]).toString('latin1'), rest: bytes.length - off };
  }
  return { type, rest: 0 };
}

/**
 * Validate a parsed STIR credential for signature key `signatureKey` (Uint8Array).
 * ctx: {anchors, at, policy, tn, x5uMap}. Returns a verdict object.
 */
export async function validateStirCredential(cred, signatureKey, ctx) {
  const cps = codepoints(ctx.policy);
  if (cred.type === cps.cert) {
    if (cred.certs.length === 0) return reject('CRED_EMPTY_CHAIN', 'certificates vector is empty (glue check)');
    const v = await validateChain(cred.certs, ctx.anchors, ctx.at);
    if (!v.ok) return v.result;
    if (!bytesEqual(certPublicKeyBytes(v.leaf), signatureKey)) {
      return reject('CRED_LEAF_KEY_MISMATCH', 'leaf SPKI key differs from signature_key (glue check)', v.identities);
    }
    const cov = checkCoverage(v.tnauth, ctx.tn, ctx.policy?.trust_spc, v.identities);
    if (cov) return cov;
    return accept(v.identities);
  }
  if (cred.type === cps.ppt) {
    return verifyPassport({
      passport: cred.passport, chainDers: cred.certs, x5uMap: ctx.x5uMap ?? {}, signatureKey,
      tn: ctx.tn, anchors: ctx.anchors, at: ctx.at, policy: ctx.policy,
    });
  }
  if (GREASE.has(cred.type)) return reject('CRED_TYPE_GREASE', `credential type 0x${cred.type.toString(16)} is GREASE (glue check)`);
  if (cred.type === 0x0001) return reject('CRED_BASIC_NO_TN', 'basic credential (glue check)');
  if (cred.type === 0x0002) throw unimplemented('x509 credentials carrying STIR chains (STIR profile option) are not handled');
  return reject('CRED_TYPE_UNKNOWN', `credential type 0x${cred.type.toString(16)} (glue check)`);
}

/**
 * An AuthenticationService in ts-mls's shape: validateCredential(credential, signaturePublicKey)
 * -> Promise<boolean>. ts-mls hands over {credentialType, data} for custom types, where `data` is
 * the content of ONE opaque<V>: right for stir_certificate (certificates<V>), wrong for
 * stir_passport (two vectors; see docs/interop-findings.md). The last verdict is kept in `last`.
 */
export function makeStirAuthService(ctx) {
  const svc = {
    last: null,
    async validateCredential(credential, signaturePublicKey) {
      const cps = codepoints(ctx.policy);
      let parsed;
      try {
        if (credential.credentialType === cps.cert) {
          parsed = { type: cps.cert, certs: certsFromVectorContent(credential.data), passport: null };
        } else if (credential.credentialType === 0x0002) {
          parsed = { type: 0x0002, certs: credential.certificates };
        } else {
          parsed = { type: credential.credentialType };
        }
      } catch (e) {
        svc.last = reject('', `credential body: ${errText(e)}`);
        return false;
      }
      svc.last = await validateStirCredential(parsed, signaturePublicKey, ctx);
      return svc.last.verdict === 'accept';
    },
  };
  return svc;
}
