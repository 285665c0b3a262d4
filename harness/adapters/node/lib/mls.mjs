// mls.mjs: KeyPackages with ts-mls 2.0.0-rc.10, cipher suite 0x0002.
//
// Library (ts-mls): MLSMessage / KeyPackage decoding and encoding; the LeafNode signature
// (verifyLeafNodeSignatureKeyPackage, "LeafNodeTBS") and the KeyPackage signature
// (verifyKeyPackage, "KeyPackageTBS") under leaf_node.signature_key; building and signing a
// KeyPackage (generateKeyPackageWithKey).
// Glue: the cipher-suite check (ts-mls compares suites only against a group), the lifetime window
// at the evaluation time and its maximum span (ts-mls checks lifetime only inside group operations
// and only against Date.now(); its maximumTotalLifetime setting is never read), peeking at the
// credential type to refuse stir_passport (which ts-mls cannot decode), and the STIR credential
// check plugged in as an AuthenticationService.
// NOT checked, because ts-mls does not check them on a standalone KeyPackage: the format of
// signature_key (33-byte compressed points verify), the credential type in capabilities.credentials,
// init_key != encryption_key (ts-mls checks this only when a KeyPackage is added to a group),
// extensions listed in capabilities, trailing bytes after the message.
import { createPrivateKey } from 'node:crypto';
import {
  decode, encode, mlsMessageDecoder, mlsMessageEncoder, keyPackageDecoder, generateKeyPackageWithKey,
  verifyKeyPackage, verifyLeafNodeSignatureKeyPackage, varLenDataDecoder, uint16Decoder, suite2Impl,
  protocolVersions, wireformats,
} from './tsmls.mjs';
import { makeStirAuthService, codepoints, parseCredential } from './credential.mjs';
import { reject, accept, errText, badRequest, unimplemented, hexToBytes, bytesToHex } from './util.mjs';

/** Glue: read the credential type without decoding the whole KeyPackage (null if it cannot). */
function peekCredentialType(bytes) {
  try {
    return peekUnsafe(bytes);
  } catch {
    return null; // ts-mls's own decode will report the problem
  }
}

function peekUnsafe(bytes) {
  let off = 0;
  const v = uint16Decoder(bytes, 0);
  const w = uint16Decoder(bytes, 2);
  if (v && w && v[0] === 1 && w[0] === 5) off = 4;
  off += 4; // version, cipher_suite
  for (let i = 0; i < 3; i++) { // init_key, encryption_key, signature_key
    const r = varLenDataDecoder(bytes, off);
    if (r === undefined) return null;
    off += r[1];
  }
  const t = uint16Decoder(bytes, off);
  return t ? t[0] : null;
}

/** Decode with ts-mls: MLSMessage(mls_key_package) first, bare KeyPackage otherwise. */
export function decodeKeyPackage(bytes) {
  let msg;
  try { msg = decode(mlsMessageDecoder, bytes); } catch { msg = undefined; }
  if (msg !== undefined) {
    if (msg.wireformat !== wireformats.mls_key_package) return { error: `ts-mls decoded an MLSMessage of wire format ${msg.wireformat}, not mls_key_package` };
    return { kp: msg.keyPackage, wrapped: true };
  }
  let kp;
  try { kp = decode(keyPackageDecoder, bytes); } catch (e) { return { error: `ts-mls: ${errText(e)}` }; }
  if (kp === undefined) return { error: 'ts-mls decode returned undefined (neither MLSMessage nor KeyPackage)' };
  return { kp, wrapped: false };
}

/** ts-mls's own judgement: decode + LeafNode and KeyPackage signatures. {ok, error, kp}. */
export async function tsmlsCheck(bytes) {
  const d = decodeKeyPackage(bytes);
  if (d.error) return { ok: false, stage: 'decode', error: d.error };
  const kp = d.kp;
  if (kp.cipherSuite !== 2) return { ok: false, stage: 'suite', error: `cipher suite 0x${kp.cipherSuite.toString(16).padStart(4, '0')} (adapter handles 0x0002 only)`, kp };
  const cs = await suite2Impl();
  let ok;
  try { ok = await verifyLeafNodeSignatureKeyPackage(kp.leafNode, cs.signature); } catch (e) { return { ok: false, stage: 'leaf_signature', error: `ts-mls verifyLeafNodeSignatureKeyPackage threw: ${errText(e)}`, kp }; }
  if (!ok) return { ok: false, stage: 'leaf_signature', error: 'ts-mls verifyLeafNodeSignatureKeyPackage returned false', kp };
  try { ok = await verifyKeyPackage(kp, cs.signature); } catch (e) { return { ok: false, stage: 'kp_signature', error: `ts-mls verifyKeyPackage threw: ${errText(e)}`, kp }; }
  if (!ok) return { ok: false, stage: 'kp_signature', error: 'ts-mls verifyKeyPackage returned false', kp };
  return { ok: true, error: null, kp };
}

const STAGE_REASON = { decode: '', suite: 'MLS_CIPHER_SUITE', leaf_signature: 'MLS_LEAF_SIGNATURE', kp_signature: 'MLS_KP_SIGNATURE' };

/** Protocol verify for kind key_package. ctx: {anchors, at, policy, tn, x5uMap}. */
export async function verifyKeyPackageInput(hex, ctx) {
  const bytes = hexToBytes(hex, 'input.key_package');
  const cps = codepoints(ctx.policy);
  if (peekCredentialType(bytes) === cps.ppt) {
    throw unimplemented('ts-mls models a custom credential body as ONE opaque<V>; stir_passport is passport<V> then certificates<V>, so ts-mls cannot decode a LeafNode carrying it');
  }
  const r = await tsmlsCheck(bytes);
  if (!r.ok) {
    // a "threw" on a signature means ts-mls could not even use the key or signature: no reason claimed
    const reason = /threw/.test(r.error) ? '' : STAGE_REASON[r.stage];
    return reject(reason, r.error);
  }
  const kp = r.kp;
  // glue: lifetime at the evaluation time
  const lt = kp.leafNode.lifetime;
  const at = BigInt(ctx.at);
  if (lt.notAfter < lt.notBefore) return reject('MLS_LIFETIME_INVERTED', 'not_after < not_before (glue check)');
  if (at < lt.notBefore || at > lt.notAfter) return reject('MLS_LIFETIME_EXPIRED', `at ${ctx.at} outside [${lt.notBefore}, ${lt.notAfter}] (glue check)`);
  const maxLife = BigInt(ctx.policy?.max_lifetime ?? 7776000);
  if (lt.notAfter - lt.notBefore > maxLife) return reject('MLS_LIFETIME_TOO_LONG', `span ${lt.notAfter - lt.notBefore} > ${maxLife} (glue check)`);
  // the STIR check, through ts-mls's AuthenticationService shape
  const as = makeStirAuthService(ctx);
  await as.validateCredential(kp.leafNode.credential, kp.leafNode.signaturePublicKey);
  return as.last;
}

/** P-256 private key PEM -> {signKey: 32-byte scalar, publicKey: 65-byte uncompressed point}. */
export function p256KeyPair(pem) {
  let jwk;
  try { jwk = createPrivateKey(pem).export({ format: 'jwk' }); } catch (e) { throw badRequest(`signature key: ${errText(e)}`); }
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256') throw badRequest('signature key is not a P-256 key');
  const b = (s) => Buffer.from(s, 'base64url');
  return {
    signKey: Uint8Array.from(b(jwk.d)),
    publicKey: Uint8Array.from(Buffer.concat([Buffer.from([4]), b(jwk.x), b(jwk.y)])),
  };
}

/**
 * Build a KeyPackage with ts-mls: suite 0x0002, the given uncompressed key, explicit capabilities
 * listing only the credential's type, no KeyPackage or LeafNode extensions (so no GREASE).
 * Returns the MLSMessage bytes.
 */
export async function createKeyPackage(args) {
  const { publicPackage } = await buildKeyPackage(args);
  return encode(mlsMessageEncoder, { version: protocolVersions.mls10, wireformat: wireformats.mls_key_package, keyPackage: publicPackage });
}

/**
 * The same KeyPackage as ts-mls's {publicPackage, privatePackage} (a group member needs both),
 * with the signature key pair used.
 */
export async function buildKeyPackage({ keyPem, credentialHex, notBefore, notAfter, policy, keyPair, credentialTypes }) {
  const credential = tsmlsCredential(credentialHex, policy);
  const types = credentialTypes ?? [credential.credentialType];
  if (!Array.isArray(types) || !types.every((t) => Number.isInteger(t) && t >= 0 && t <= 0xffff)) throw badRequest('credential_types must be a list of code points');
  if (!Number.isSafeInteger(notBefore) || !Number.isSafeInteger(notAfter)) throw badRequest('not_before/not_after must be integers');
  const cs = await suite2Impl();
  const pair = keyPair ?? p256KeyPair(keyPem);
  const made = await generateKeyPackageWithKey({
    credential,
    capabilities: { versions: [protocolVersions.mls10], ciphersuites: [cs.id], extensions: [], proposals: [], credentials: types },
    lifetime: { notBefore: BigInt(notBefore), notAfter: BigInt(notAfter) },
    extensions: [],
    leafNodeExtensions: [],
    signatureKeyPair: pair,
    cipherSuite: cs,
  });
  return { ...made, keyPair: pair, credential };
}

/**
 * An encoded STIR Credential (hex) as ts-mls's custom credential {credentialType, data}.
 * ts-mls writes a custom credential as type || opaque data<V>; for stir_certificate that is
 * exactly certificates<V>, so data = the vector's content. stir_passport (two vectors) cannot be
 * expressed: unimplemented (docs/interop-findings.md, ts-mls 4).
 */
export function tsmlsCredential(credentialHex, policy) {
  const cred = hexToBytes(credentialHex, 'credential');
  const cps = codepoints(policy);
  const p = parseCredential(cred, cps);
  if (p.error) throw badRequest(`credential: ${p.error}`);
  if (p.type === cps.ppt) throw unimplemented('ts-mls cannot encode stir_passport: its custom credential body is ONE opaque<V>, stir_passport needs two vectors');
  if (p.type !== cps.cert) throw unimplemented(`credential type 0x${p.type.toString(16)} not handled`);
  if (p.rest !== 0) throw badRequest('credential has bytes after its body');
  return { credentialType: p.type, data: varLenDataDecoder(cred, 2)[0] };
}

export { bytesToHex };
