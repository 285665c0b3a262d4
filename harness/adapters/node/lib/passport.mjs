// passport.mjs: PASSporT (RFC 8225) verification and signing with jose.
//
// Library (jose jwtVerify / CompactSign): compact JWS syntax, alg allow-list (ES256 only), crit
// handling, the ES256 signature, typ (jose compares case-insensitively, "application/" prefix
// optional), presence of iat/orig/dest, iat is a number, exp, iat not in the future (with skew),
// iat not older than max_age (jose adds the skew to max_age as well).
// Glue: finding the signer chain (credential chain, else x5u looked up in the supplied map), the
// ppt allow-list (empty), the orig shape, orig.tn coverage by TNAuthList, reference-TN equality,
// the mky binding, and the deterministic JSON of RFC 8225 §9 when signing.
import * as jose from 'jose';
import { createHash, createPrivateKey } from 'node:crypto';
import { validateChain, checkCoverage } from './chain.mjs';
import { accept, reject, errText, badRequest, pemToDerList } from './util.mjs';

class ChainFailure extends Error {
  constructor(verdict) { super(verdict.native); this.verdict = verdict; }
}

function derToPem(der) {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

function algReason(alg) {
  if (alg === 'none') return 'PPT_ALG_NONE';
  if (typeof alg === 'string' && /^HS/.test(alg)) return 'PPT_ALG_HMAC';
  if (typeof alg === 'string' && /^(RS|PS)/.test(alg)) return 'PPT_ALG_RSA';
  return 'PPT_ALG_UNSUPPORTED';
}

/** Map a jose error to a reason name only where jose's own error says which rule failed. */
function mapJoseError(e, header) {
  const code = e?.code;
  const msg = e?.message ?? '';
  switch (code) {
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED': return 'PPT_SIG_INVALID';
    case 'ERR_JOSE_ALG_NOT_ALLOWED': return algReason(header?.alg);
    case 'ERR_JOSE_NOT_SUPPORTED':
      return /Extension Header Parameter .* is not recognized/.test(msg) ? 'PPT_CRIT_UNKNOWN' : '';
    case 'ERR_JWS_INVALID':
      if (/Invalid Compact JWS/.test(msg)) return 'PPT_MALFORMED';
      if (/"crit"/.test(msg)) return 'PPT_CRIT_INVALID';
      return '';
    case 'ERR_JWT_INVALID':
      return /Claims Set must be a top-level JSON object/.test(msg) ? 'PPT_CLAIMS_NOT_OBJECT' : '';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (e.claim === 'typ') return 'PPT_TYP';
      if (e.claim === 'iat') return e.reason === 'missing' ? 'PPT_IAT_MISSING' : e.reason === 'invalid' ? 'PPT_IAT_TYPE' : 'PPT_IAT_FUTURE';
      if (e.claim === 'exp' && e.reason === 'invalid') return 'PPT_EXP_TYPE';
      if (e.claim === 'orig') return 'PPT_ORIG_INVALID';
      if (e.claim === 'dest') return 'PPT_DEST_INVALID';
      return '';
    case 'ERR_JWT_EXPIRED':
      return e.claim === 'exp' ? 'PPT_EXPIRED' : e.claim === 'iat' ? 'PPT_STALE' : '';
    default: return '';
  }
}

/** Glue: SHA-256 of the raw key bytes as upper-case hex pairs joined by ':' (MKY-02). */
export function mkyDigest(keyBytes) {
  return createHash('sha256').update(keyBytes).digest('hex').toUpperCase().match(/../g).join(':');
}

const DIG_RE = /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){31}$/;

/** Glue: the mky binding check (MKY-03/04). Returns a reject verdict or null. */
function checkMky(claims, keyBytes, strict, ids) {
  const mky = claims.mky;
  if (mky === undefined) return reject('MKY_MISSING', 'no mky claim (glue check)', ids);
  if (!Array.isArray(mky) || mky.some((m) => m === null || typeof m !== 'object' || typeof m.alg !== 'string' || typeof m.dig !== 'string')) {
    return reject('MKY_MALFORMED', 'mky is not an array of {alg, dig} (glue check)', ids);
  }
  const sha = mky.filter((m) => m.alg === 'sha-256');
  if (sha.length === 0) return reject('MKY_ALG_UNSUPPORTED', 'no sha-256 mky entry (glue check)', ids);
  const want = mkyDigest(keyBytes);
  for (const m of sha) {
    if (!DIG_RE.test(m.dig)) return reject('MKY_DIG_MALFORMED', `mky dig "${m.dig}" malformed (glue check)`, ids);
    if (strict && m.dig !== m.dig.toUpperCase()) return reject('MKY_DIG_LOWERCASE', 'lower-case mky dig in strict mode (glue check)', ids);
  }
  if (sha.some((m) => m.dig.toUpperCase() === want)) return null;
  return reject('MKY_MISMATCH', `no mky entry equals ${want} (glue check)`, ids);
}

/**
 * Verify a PASSporT. opts: {passport, chainDers, x5uMap, signatureKey (Uint8Array|null), tn,
 * anchors (DER[]), at, policy}.
 */
export async function verifyPassport(opts) {
  const { passport, chainDers, x5uMap, signatureKey, tn, anchors, at } = opts;
  const policy = opts.policy ?? {};
  if (typeof passport !== 'string') throw badRequest('input.passport must be a string');
  let header = null;
  try { header = jose.decodeProtectedHeader(passport); } catch { /* jose will report it below */ }
  let signer = null;
  const keyFor = async (hdr) => {
    let ders = chainDers;
    if (ders.length === 0) {
      const url = hdr.x5u;
      if (typeof url !== 'string') throw new ChainFailure(reject('PPT_X5U_MISSING', 'no chain and no x5u (glue check)'));
      if (!url.startsWith('https://')) throw new ChainFailure(reject('PPT_X5U_SCHEME', `x5u ${url} is not https (glue check)`));
      const entry = x5uMap?.[url];
      if (entry === undefined) throw new ChainFailure(reject('PPT_X5U_UNRESOLVED', `x5u ${url} not in x5u_map (glue check)`));
      ders = (Array.isArray(entry) ? entry : [entry]).flatMap((p) => pemToDerList(p));
    }
    const v = await validateChain(ders, anchors, at);
    if (!v.ok) throw new ChainFailure(v.result);
    signer = v;
    return jose.importX509(derToPem(ders[0]), 'ES256');
  };
  let claims;
  try {
    const res = await jose.jwtVerify(passport, keyFor, {
      algorithms: ['ES256'],
      typ: 'passport',
      currentDate: new Date(at * 1000),
      maxTokenAge: policy.max_age ?? 604800,
      clockTolerance: policy.skew ?? 300,
      requiredClaims: ['iat', 'orig', 'dest'],
    });
    claims = res.payload;
    header = res.protectedHeader;
  } catch (e) {
    if (e instanceof ChainFailure) return e.verdict;
    return reject(mapJoseError(e, header), `jose: ${errText(e)}`);
  }
  // ---- glue from here on ----
  if (header.ppt !== undefined) return reject('PPT_PPT_UNSUPPORTED', `ppt "${header.ppt}" not supported (glue check)`);
  const orig = claims.orig;
  if (orig === null || typeof orig !== 'object' || Array.isArray(orig)) return reject('PPT_ORIG_INVALID', 'orig is not an object (glue check)');
  if (typeof orig.tn !== 'string') {
    return reject(orig.uri !== undefined ? 'PPT_ORIG_URI' : 'PPT_ORIG_INVALID', 'orig has no tn string (glue check)');
  }
  const ids = [{ type: 'tn', value: orig.tn }];
  const cov = checkCoverage(signer.tnauth, orig.tn, policy.trust_spc, []);
  if (cov) return { ...cov, identities: ids };
  if (tn && tn !== orig.tn) return reject('', `reference tn ${tn} differs from orig.tn ${orig.tn} (glue check)`, ids);
  if (signatureKey) {
    const m = checkMky(claims, signatureKey, policy.strict !== false, ids);
    if (m) return m;
  }
  return accept(ids);
}

function canonical(v) {
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === 'object') {
    const o = {};
    for (const k of Object.keys(v).sort()) o[k] = canonical(v[k]);
    return o;
  }
  return v;
}

/** Sign a PASSporT with jose CompactSign; header and claims in RFC 8225 §9 order (glue). */
export async function signPassport({ key, x5u, claims, ppt }) {
  if (typeof key !== 'string') throw badRequest('params.key must be a PEM private key');
  if (claims === null || typeof claims !== 'object') throw badRequest('params.claims must be an object');
  let keyObj;
  try { keyObj = createPrivateKey(key); } catch (e) { throw badRequest(`params.key: ${errText(e)}`); }
  const header = canonical({ alg: 'ES256', typ: 'passport', ...(x5u !== undefined ? { x5u } : {}), ...(ppt ? { ppt } : {}) });
  const payload = new TextEncoder().encode(JSON.stringify(canonical(claims)));
  return new jose.CompactSign(payload).setProtectedHeader(header).sign(keyObj);
}
