#!/usr/bin/env node
// adapter.mjs: the Node peer for stirmls-interop/1 (jose + pkijs + @peculiar/asn1-schema + ts-mls).
// One long-running process: newline-delimited JSON requests on stdin, one response line per request,
// in order, on stdout. Nothing but protocol lines goes to stdout; diagnostics go to stderr.
import { createInterface } from 'node:readline';
import { verifyPassport, signPassport } from './lib/passport.mjs';
import { validateChain, checkCoverage } from './lib/chain.mjs';
import { parseCredential, validateStirCredential, codepoints } from './lib/credential.mjs';
import { verifyKeyPackageInput, createKeyPackage } from './lib/mls.mjs';
import { generateGroup, verifyGroupInfoInput } from './lib/group.mjs';
import { ProtoError, badRequest, unimplemented, accept, reject, pemsToDers, hexToBytes, bytesToHex, errText, libraryVersions } from './lib/util.mjs';

// Keep stray library logging off the protocol channel.
console.log = (...a) => console.error(...a);
console.info = console.log;
console.debug = console.log;

const OPS = ['hello', 'verify', 'generate', 'shutdown'];
// group_message is listed for generate (ts-mls produces the Update PublicMessage); its verify is
// unimplemented (ts-mls judges a PublicMessage only with the epoch's secrets).
const KINDS = ['cert_chain', 'passport', 'credential', 'key_package', 'group_info', 'group_message'];

function hello() {
  return {
    name: 'node-jose-pkijs-tsmls',
    version: libraryVersions(),
    protocol: 'stirmls-interop/1',
    ops: OPS,
    kinds: KINDS,
    credential_types: [0xf051, 0xf052],
    tags: ['cert', 'passport', 'mky', 'credential', 'keypackage', 'x5u', 'spc-trust', 'generate', 'group'],
  };
}

function need(obj, key, type, where) {
  const v = obj?.[key];
  if (typeof v !== type || v === null) throw badRequest(`${where}.${key} must be a ${type}`);
  return v;
}

async function verify(params) {
  if (params === null || typeof params !== 'object') throw badRequest('params must be an object');
  const kind = need(params, 'kind', 'string', 'params');
  const at = params.at;
  if (!Number.isSafeInteger(at)) throw badRequest('params.at must be an integer (unix seconds)');
  const input = params.input;
  if (input === null || typeof input !== 'object') throw badRequest('params.input must be an object');
  const policy = params.policy && typeof params.policy === 'object' ? params.policy : {};
  if (policy.profile === 'sip') throw unimplemented('the sip profile is not handled by this adapter');
  const anchors = pemsToDers(params.trust_anchors, 'params.trust_anchors');
  const tn = input.tn;
  if (tn !== undefined && typeof tn !== 'string') throw badRequest('input.tn must be a string');
  const ctx = { anchors, at, policy, tn, x5uMap: input.x5u_map ?? {} };
  switch (kind) {
    case 'cert_chain': {
      const ders = pemsToDers(input.chain, 'input.chain');
      const v = await validateChain(ders, anchors, at);
      if (!v.ok) return v.result;
      return checkCoverage(v.tnauth, tn, policy.trust_spc, v.identities) ?? accept(v.identities);
    }
    case 'passport': {
      const passport = need(input, 'passport', 'string', 'input');
      const sk = input.signature_key !== undefined ? hexToBytes(input.signature_key, 'input.signature_key') : null;
      return verifyPassport({ passport, chainDers: pemsToDers(input.chain, 'input.chain'), x5uMap: ctx.x5uMap, signatureKey: sk, tn, anchors, at, policy });
    }
    case 'credential': {
      const bytes = hexToBytes(need(input, 'credential', 'string', 'input'), 'input.credential');
      const sk = hexToBytes(need(input, 'signature_key', 'string', 'input'), 'input.signature_key');
      const cred = parseCredential(bytes, codepoints(policy));
      if (cred.error) return reject('', `credential: ${cred.error}`);
      if (cred.rest > 0) return reject('TRAILING_BYTES', `${cred.rest} bytes after the credential body (glue check)`);
      return validateStirCredential(cred, sk, ctx);
    }
    case 'key_package':
      return verifyKeyPackageInput(need(input, 'key_package', 'string', 'input'), ctx);
    case 'group_info':
      return verifyGroupInfoInput(need(input, 'group_info', 'string', 'input'), ctx);
    case 'group_message':
      throw unimplemented('ts-mls judges a PublicMessage only inside processMessage / processPublicMessage, which need a ClientState with the epoch\'s membership key; no public-only verification API');
    default:
      throw unimplemented(`kind ${kind}`);
  }
}

async function generate(params) {
  if (params === null || typeof params !== 'object') throw badRequest('params must be an object');
  const kind = need(params, 'kind', 'string', 'params');
  if (kind === 'passport') {
    const passport = await signPassport({ key: params.key, x5u: params.x5u, claims: params.claims, ppt: params.ppt });
    return { artifact: { passport } };
  }
  if (kind === 'key_package') {
    const bytes = await createKeyPackage({
      keyPem: need(params, 'signature_key_pem', 'string', 'params'),
      credentialHex: need(params, 'credential', 'string', 'params'),
      notBefore: params.not_before,
      notAfter: params.not_after,
      policy: params.policy,
    });
    return { artifact: { key_package: bytesToHex(bytes) } };
  }
  if (kind === 'group_info') {
    const out = await generateGroup(params);
    return { artifact: { group_info: out.group_info } };
  }
  if (kind === 'group_message') {
    if (params.update === undefined) throw unimplemented('generate group_message makes the Update of params.update; none given');
    const out = await generateGroup(params);
    return { artifact: { group_info: out.update_group_info, message: out.message } };
  }
  throw unimplemented(`generate kind ${kind}`);
}

function send(obj) {
  process.stdout.write(`${JSON.stringify(obj)}\n`);
}

async function handle(line) {
  let req;
  try {
    req = JSON.parse(line);
  } catch (e) {
    return { id: null, error: { code: 'bad_request', message: `not JSON: ${errText(e)}` } };
  }
  const id = req && typeof req === 'object' && 'id' in req ? req.id : null;
  try {
    if (req === null || typeof req !== 'object' || Array.isArray(req)) throw badRequest('request must be a JSON object');
    if (typeof req.op !== 'string') throw badRequest('request.op must be a string');
    switch (req.op) {
      case 'hello': return { id, result: hello() };
      case 'verify': return { id, result: await verify(req.params) };
      case 'generate': return { id, result: await generate(req.params) };
      case 'shutdown': return { id, result: {}, shutdown: true };
      default: throw unimplemented(`op ${req.op}`);
    }
  } catch (e) {
    if (e instanceof ProtoError) return { id, error: { code: e.code, message: e.message } };
    console.error(`[node-adapter] internal error on id ${id}:`, e);
    return { id, error: { code: 'internal', message: errText(e) } };
  }
}

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
let queue = Promise.resolve();
rl.on('line', (line) => {
  if (line.trim() === '') return;
  queue = queue.then(async () => {
    const res = await handle(line);
    const stop = res.shutdown === true;
    delete res.shutdown;
    send(res);
    if (stop) {
      rl.close();
      process.stdout.write('', () => process.exit(0));
    }
  });
});
rl.on('close', () => { queue.then(() => process.exit(0)); });
process.on('unhandledRejection', (e) => { console.error('[node-adapter] unhandled rejection:', e); });
