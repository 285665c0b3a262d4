// group.mjs: whole MLS groups with ts-mls 2.0.0-rc.10 (cipher suite 0x0002), STIR credentials as
// ts-mls custom credentials, validated by the adapter's STIR AuthenticationService (jose + pkijs).
//
// Producer (generate group_info / group_message): member 0 makes the group (createGroup) and adds
// the others by KeyPackage in one Add-only commit (createCommit with Add proposals: no UpdatePath, so
// parents stay blank); optionally member i joins from the Welcome (joinGroup) and renews its
// credential by an Update proposal (createProposal) that member 0 processes (processMessage) and
// commits (createCommit); optionally member 0 then commits with an UpdatePath (createCommit with no
// proposals: ts-mls adds a path, so the parents on its direct path are filled); the GroupInfo comes
// from createGroupInfoWithExternalPubAndRatchetTree. Every message is a PublicMessage.
// Glue: the request checks; the update-source LeafNode (ts-mls has no public API that makes one: the
// adapter fills a LeafNodeTBS and signs it with ts-mls's signLeafNodeCommit); the clock: ts-mls reads
// Date.now() for KeyPackage lifetimes when a member adds them, with no parameter for it, so the
// build runs with Date.now() pinned to the request's `at` (one request at a time: nothing else runs
// meanwhile).
//
// Verifier (verify group_info): ts-mls decodes the MLSMessage and the ratchet_tree extension
// (ratchetTreeFromExtension), runs validateRatchetTree (what joinGroup and joinGroupExternal run on
// a received tree: structure, unique HPKE and signature keys, every leaf's signature with group_id and
// leaf index, the credential through the AuthenticationService, credential types against every
// member's capabilities, unmerged leaves, parent hashes, the tree hash) and verifyGroupInfoSignature
// under the signer's leaf. Glue: the cipher-suite check, the signer index, the mapping of ts-mls's
// error texts onto reason names, the expired-member policy (`reject_expired`) in the callback.
// group_message is not offered: ts-mls judges a PublicMessage only inside processMessage, which needs
// the epoch's membership key (docs/interop-findings.md, ts-mls 12).
import {
  decode, encode, mlsMessageDecoder, mlsMessageEncoder, protocolVersions, wireformats, suite2Impl,
  createGroup, joinGroup, createCommit, createProposal, processMessage, acceptAll,
  createGroupInfoWithExternalPubAndRatchetTree, defaultProposalTypes, leafNodeSources, nodeTypes,
  signLeafNodeCommit, ratchetTreeFromExtension, verifyGroupInfoSignature, validateRatchetTree,
  leafNodeDecoder, parentNodeDecoder, varLenDataDecoder, uint16Decoder, defaultExtensionTypes,
} from './tsmls.mjs';
import { buildKeyPackage, tsmlsCredential } from './mls.mjs';
import { makeStirAuthService, codepoints } from './credential.mjs';
import { accept, reject, badRequest, unimplemented, hexToBytes, bytesToHex, pemsToDers, errText, ProtoError } from './util.mjs';

const MAX_MEMBERS = 64;

/** Run fn with Date.now() answering `at` (Unix seconds): ts-mls's only clock. */
async function atClock(at, fn) {
  const real = Date.now;
  Date.now = () => at * 1000;
  try {
    return await fn();
  } finally {
    Date.now = real;
  }
}

function mlsMessageHex(fields) {
  return bytesToHex(encode(mlsMessageEncoder, { version: protocolVersions.mls10, ...fields }));
}

async function groupInfoHex(state, cs) {
  const groupInfo = await createGroupInfoWithExternalPubAndRatchetTree(state, [], cs);
  return mlsMessageHex({ wireformat: wireformats.mls_group_info, groupInfo });
}

function frameHex(msg) {
  return mlsMessageHex({ wireformat: msg.wireformat, publicMessage: msg.publicMessage });
}

function checkGroupParams(params) {
  if (!Number.isSafeInteger(params.at) || params.at < 0) throw badRequest('params.at must be a non-negative integer (the time the group is built at)');
  const members = params.members;
  if (!Array.isArray(members) || members.length < 1 || members.length > MAX_MEMBERS) throw badRequest(`params.members must be an array of 1 to ${MAX_MEMBERS} members`);
  members.forEach((m, i) => {
    if (m === null || typeof m !== 'object') throw badRequest(`members[${i}] must be an object`);
    for (const k of ['signature_key_pem', 'credential']) if (typeof m[k] !== 'string') throw badRequest(`members[${i}].${k} must be a string`);
  });
  const u = params.update;
  if (u !== undefined) {
    if (u === null || typeof u !== 'object' || !Number.isSafeInteger(u.member) || typeof u.credential !== 'string') throw badRequest('params.update must be {member: index, credential: hex}');
    if (u.member < 1 || u.member >= members.length) throw badRequest('params.update.member must name a member other than member 0 (the committer)');
  }
  if (params.commit_path !== undefined && typeof params.commit_path !== 'boolean') throw badRequest('params.commit_path must be a boolean');
}

/** A producer's failure inside ts-mls: internal, with the auth service's last verdict when it refused. */
function producerError(e, auth, step) {
  if (e instanceof ProtoError) return e;
  const why = auth.last && auth.last.verdict === 'reject' ? ` (STIR check: ${auth.last.reason} ${auth.last.native})` : '';
  return new ProtoError('internal', `ts-mls ${step}: ${errText(e)}${why}`);
}

/**
 * generate group_info / group_message. Returns the artifact:
 *   {group_info} the GroupInfo of the last epoch (after the Update's commit and the path commit);
 *   with an update also {update_group_info, message}: the GroupInfo of the epoch the Update
 *   proposal was sent in, and that PublicMessage (kind group_message names these two).
 */
export async function generateGroup(params) {
  checkGroupParams(params);
  const groupId = hexToBytes(params.group_id ?? '', 'params.group_id');
  if (groupId.length === 0) throw badRequest('params.group_id must be non-empty hex');
  const policy = params.policy && typeof params.policy === 'object' ? params.policy : {};
  const auth = makeStirAuthService({ anchors: pemsToDers(params.trust_anchors, 'params.trust_anchors'), at: params.at, policy, x5uMap: {} });
  const cs = await suite2Impl();
  const context = { cipherSuite: cs, authService: auth };
  const kps = [];
  for (const m of params.members) {
    kps.push(await buildKeyPackage({ keyPem: m.signature_key_pem, credentialHex: m.credential, notBefore: m.not_before, notAfter: m.not_after, policy, credentialTypes: m.credential_types }));
  }
  const update = params.update;
  const newCredential = update ? tsmlsCredential(update.credential, policy) : null;
  return atClock(params.at, async () => {
    const out = {};
    let step = 'createGroup';
    try {
      let state = await createGroup({ context, groupId, keyPackage: kps[0].publicPackage, privateKeyPackage: kps[0].privatePackage });
      let welcome;
      if (kps.length > 1) {
        step = 'createCommit (Add)';
        const adds = kps.slice(1).map((k) => ({ proposalType: defaultProposalTypes.add, add: { keyPackage: k.publicPackage } }));
        const r = await createCommit({ context, state, extraProposals: adds, wireAsPublicMessage: true, ratchetTreeExtension: true });
        state = r.newState;
        welcome = r.welcome;
      }
      if (update) {
        const i = update.member;
        step = 'joinGroup';
        const joined = await joinGroup({ context, welcome: welcome.welcome, keyPackage: kps[i].publicPackage, privateKeys: kps[i].privatePackage });
        out.update_group_info = await groupInfoHex(state, cs);
        step = 'Update LeafNode';
        const own = joined.ratchetTree[2 * i].leaf;
        const hpke = await cs.hpke.generateKeyPair();
        const signed = await signLeafNodeCommit({
          leafNodeSource: leafNodeSources.update, hpkePublicKey: await cs.hpke.exportPublicKey(hpke.publicKey),
          signaturePublicKey: own.signaturePublicKey, credential: newCredential, capabilities: own.capabilities,
          extensions: [], groupId, leafIndex: i,
        }, joined.signaturePrivateKey, cs.signature);
        const { groupId: _g, leafIndex: _l, ...leafNode } = signed;
        step = 'createProposal (Update)';
        const p = await createProposal({ context, state: joined, wireAsPublicMessage: true, proposal: { proposalType: defaultProposalTypes.update, update: { leafNode } } });
        out.message = frameHex(p.message);
        step = 'processMessage (Update)';
        const got = await processMessage({ context, state, message: p.message, callback: acceptAll });
        step = 'createCommit (Update by reference)';
        state = (await createCommit({ context, state: got.newState, wireAsPublicMessage: true })).newState;
      }
      if (params.commit_path) {
        step = 'createCommit (empty, with UpdatePath)';
        state = (await createCommit({ context, state, wireAsPublicMessage: true })).newState;
      }
      step = 'createGroupInfoWithExternalPubAndRatchetTree';
      out.group_info = await groupInfoHex(state, cs);
    } catch (e) {
      throw producerError(e, auth, step);
    }
    return out;
  });
}

// ---- verify group_info ------------------------------------------------------------------------

const EXPIRY = new Set(['CERT_EXPIRED', 'PPT_EXPIRED', 'PPT_STALE', 'MLS_LIFETIME_EXPIRED']);

/** ts-mls's validateRatchetTree error texts -> reason names (glue: ts-mls has no error codes). */
const TREE_ERRORS = [
  [/not structurally sound/, 'MLS_NODE_TYPE'],
  [/hpke keys not unique/, 'MLS_DUPLICATE_ENCRYPTION_KEY'],
  [/signature keys not unique/, 'MLS_DUPLICATE_SIGNATURE_KEY'],
  [/leaf node signature/, 'MLS_LEAF_SIGNATURE'],
  [/credential that is not supported/, 'MLS_CAPABILITIES_CREDENTIAL'],
  [/extension not listed in capabilities/, 'MLS_EXTENSION_NOT_IN_CAPS'],
  [/[Uu]nmerged leaf|unmerged_leaves/, 'MLS_UNMERGED_LEAF'],
  [/parent hash/, 'MLS_PARENT_HASH'],
  [/tree hash/, 'MLS_TREE_HASH'],
];

/**
 * The STIR AuthenticationService for a group: a member whose credential has only expired passes
 * (flagged, counted in `expired`) unless policy.reject_expired (docs/profile.md Part 3 §10). The
 * first refusal's verdict is kept in `refused`.
 */
function groupAuthService(ctx) {
  const stir = makeStirAuthService(ctx);
  const svc = {
    refused: null,
    expired: 0,
    last: null,
    async validateCredential(credential, key) {
      const ok = await stir.validateCredential(credential, key);
      svc.last = stir.last;
      if (ok) return true;
      if (EXPIRY.has(stir.last.reason) && ctx.policy?.reject_expired !== true) {
        svc.expired += 1;
        return true;
      }
      svc.refused ??= EXPIRY.has(stir.last.reason) ? reject('MLS_MEMBER_EXPIRED', stir.last.native) : stir.last;
      return false;
    },
  };
  return svc;
}

function mapTreeError(err, auth) {
  const text = errText(err);
  if (/validate credential/.test(text) && auth.refused) return reject(auth.refused.reason, `ts-mls validateRatchetTree: ${text}: ${auth.refused.native}`);
  const hit = TREE_ERRORS.find(([re]) => re.test(text));
  return reject(hit ? hit[1] : '', `ts-mls validateRatchetTree: ${text}`);
}

/**
 * Glue: the leaf index of the first stir_passport leaf of the ratchet_tree extension, or -1. The
 * tree is walked node by node with ts-mls's own LeafNode and ParentNode decoders, and each leaf's
 * credential type is read before ts-mls decodes it: ts-mls would misread a stir_passport body
 * (finding 4), so the walk stops there. -1 also when the walk cannot go on (ts-mls reports that).
 */
function firstPassportLeaf(gi, cps) {
  const ext = gi.extensions.find((e) => e.extensionType === defaultExtensionTypes.ratchet_tree);
  if (ext === undefined) return -1;
  try {
    const v = varLenDataDecoder(ext.extensionData, 0);
    if (v === undefined) return -1;
    const body = v[0];
    let off = 0;
    for (let x = 0; off < body.length; x++) {
      if (body[off] === 0) { off += 1; continue; }
      const type = body[off + 1];
      if (type === 1) {
        let p = off + 2;
        for (let k = 0; k < 2; k++) { const r = varLenDataDecoder(body, p); if (r === undefined) return -1; p += r[1]; }
        const t = uint16Decoder(body, p);
        if (t !== undefined && t[0] === cps.ppt) return x / 2;
      }
      const r = (type === 1 ? leafNodeDecoder : parentNodeDecoder)(body, off + 2);
      if (r === undefined) return -1;
      off += 2 + r[1];
    }
  } catch {
    return -1;
  }
  return -1;
}

/** Protocol verify for kind group_info. ctx: {anchors, at, policy, x5uMap}. */
export async function verifyGroupInfoInput(hex, ctx) {
  const bytes = hexToBytes(hex, 'input.group_info');
  let msg;
  try { msg = decode(mlsMessageDecoder, bytes); } catch (e) { return reject('', `ts-mls decode: ${errText(e)}`); }
  if (msg === undefined) return reject('', 'ts-mls decode returned undefined (the MLSMessage does not decode)');
  if (msg.wireformat !== wireformats.mls_group_info) return reject('', `ts-mls decoded wire format ${msg.wireformat}, not mls_group_info`);
  const gi = msg.groupInfo;
  if (gi.groupContext.cipherSuite !== 2) return reject('MLS_CIPHER_SUITE', `cipher suite ${gi.groupContext.cipherSuite} (adapter handles 0x0002 only; glue check)`);
  const pl = firstPassportLeaf(gi, codepoints(ctx.policy));
  if (pl >= 0) throw unimplemented(`leaf ${pl} carries stir_passport, which ts-mls cannot decode (a custom credential body is ONE opaque<V>)`);
  let tree;
  try { tree = ratchetTreeFromExtension(gi); } catch (e) { return reject('', `ts-mls ratchetTreeFromExtension: ${errText(e)}`); }
  if (tree === undefined) return reject('MLS_RATCHET_TREE_MISSING', 'no ratchet_tree extension (ts-mls ratchetTreeFromExtension returned undefined)');
  const cs = await suite2Impl();
  const auth = groupAuthService(ctx);
  let err;
  try {
    err = await validateRatchetTree(tree, gi.groupContext, { maximumTotalLifetime: 0n, validateLifetimeOnReceive: false }, auth, gi.groupContext.treeHash, cs);
  } catch (e) {
    return reject('', `ts-mls validateRatchetTree threw: ${errText(e)}`);
  }
  if (err !== undefined) return mapTreeError(err, auth);
  const signer = tree[2 * gi.signer];
  if (signer === undefined || signer.nodeType !== nodeTypes.leaf) return reject('MLS_GROUP_INFO_SIGNER', `signer ${gi.signer} is not a non-blank leaf (glue check)`);
  let ok;
  try { ok = await verifyGroupInfoSignature(gi, signer.leaf.signaturePublicKey, cs.signature); } catch (e) { return reject('', `ts-mls verifyGroupInfoSignature threw: ${errText(e)}`); }
  if (!ok) return reject('MLS_GROUP_INFO_SIGNATURE', 'ts-mls verifyGroupInfoSignature returned false');
  const res = accept([], auth.expired > 0 ? `${auth.expired} member credential(s) expired at ${ctx.at} (flagged; glue policy)` : '');
  const members = tree.filter((n) => n?.nodeType === nodeTypes.leaf).length;
  res.counts = { members, expired: auth.expired };
  return res;
}
