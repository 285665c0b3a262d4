// chain.mjs: certificate chain validation at a fixed time with pkijs, and the TNAuthList of the leaf.
//
// Library (pkijs CertificateChainValidationEngine): path building to a trust anchor, certificate
// signatures, validity at `checkDate`, basicConstraints/keyUsage of issuers, known critical
// extensions it parses. pkijs treats the LAST certificate of `certs` as the end entity, so the
// protocol's leaf-first list is passed reversed (intermediates first, leaf last).
// Glue: telling "expired" from "not yet valid" after pkijs reports its single code 8, the leaf-key
// comparison, TNAuthList extraction and TN coverage.
import * as pkijs from 'pkijs';
import { webcrypto } from 'node:crypto';
import { decodeTNAuthList, OID_TNAUTHLIST, coverage, tnAuthIdentities } from './tnauthlist.mjs';
import { errText, reject } from './util.mjs';

pkijs.setEngine('node-webcrypto', new pkijs.CryptoEngine({ name: 'node-webcrypto', crypto: webcrypto }));

/** pkijs's own parser (asn1js BER decoding + the Certificate schema). */
export function parseCert(der) {
  return pkijs.Certificate.fromBER(der);
}

/** The raw subjectPublicKey bytes of a certificate (for EC: the SEC1 point as carried). */
export function certPublicKeyBytes(cert) {
  return new Uint8Array(cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView);
}

function mapPkijsError(e, path, at) {
  const code = e?.resultCode;
  if (code === 8) {
    // pkijs says "either not yet valid or expired"; which bound failed is glue arithmetic.
    const d = new Date(at * 1000);
    const early = path.some((c) => c.notBefore.value > d);
    return early ? 'CERT_NOT_YET_VALID' : 'CERT_EXPIRED';
  }
  if (code === 60 || code === 97) return 'CERT_UNTRUSTED';
  // buildPath throws a plain Error (reported as code -1) when no issuer is found at all
  if (code === -1 && /^(No valid certificate paths found|Unable to find certificate path)$/.test(e.resultMessage)) return 'CERT_UNTRUSTED';
  if (code === 14 || code === 3 || code === 4) return 'CERT_NOT_CA';
  return '';
}

/**
 * Validate DER certificates (leaf first) against trust anchors at unix time `at`.
 * Returns {ok:true, leaf, tnauth, identities} or {ok:false, result:<reject verdict>}.
 */
export async function validateChain(ders, anchorDers, at) {
  if (ders.length === 0) return { ok: false, result: reject('CERT_CHAIN_EMPTY', 'no certificate supplied') };
  let certs;
  let anchors;
  try {
    certs = ders.map(parseCert);
  } catch (e) {
    return { ok: false, result: reject('CERT_PARSE', errText(e)) };
  }
  try {
    anchors = anchorDers.map(parseCert);
  } catch (e) {
    return { ok: false, result: reject('', `trust anchor: ${errText(e)}`) };
  }
  const engine = new pkijs.CertificateChainValidationEngine({
    trustedCerts: anchors,
    certs: [...certs].reverse(),
    checkDate: new Date(at * 1000),
  });
  let res;
  try {
    res = await engine.verify();
  } catch (e) {
    return { ok: false, result: reject(mapPkijsError(e, certs, at), errText(e)) };
  }
  if (!res.result) {
    return { ok: false, result: reject(mapPkijsError(res, res.certificatePath ?? certs, at), errText(res)) };
  }
  const leaf = certs[0];
  const ext = (leaf.extensions ?? []).find((x) => x.extnID === OID_TNAUTHLIST);
  let tnauth = null;
  if (ext) {
    try {
      tnauth = decodeTNAuthList(new Uint8Array(ext.extnValue.valueBlock.valueHexView));
    } catch (e) {
      return { ok: false, result: reject('CERT_TNAUTHLIST_INVALID', `asn1-schema: ${errText(e)}`) };
    }
  }
  return { ok: true, leaf, tnauth, identities: tnauth ? tnAuthIdentities(tnauth) : [], path: res.certificatePath };
}

/** Glue: check that `tn` (if given) is covered by the leaf's TNAuthList. Returns a reject verdict or null. */
export function checkCoverage(tnauth, tn, trustSpc, identities) {
  if (tn === undefined || tn === null || tn === '') return null;
  if (!tnauth) return reject('CERT_NO_TNAUTHLIST', 'leaf certificate has no TNAuthList (glue check)', identities);
  const c = coverage(tnauth, tn, trustSpc ?? []);
  if (c === 'covered') return null;
  if (c === 'spc_untrusted') return reject('SPC_NOT_TRUSTED', `only an untrusted SPC could vouch for ${tn} (glue check)`, identities);
  return reject('TN_NOT_COVERED', `${tn} not in TNAuthList (glue check)`, identities);
}
