// tsmls.mjs: the ts-mls functions the adapter uses.
// Public API ("ts-mls"): decode, encode, mlsMessageDecoder, mlsMessageEncoder, keyPackageDecoder,
// generateKeyPackageWithKey, getCiphersuiteImpl, defaultCryptoProvider, protocolVersions, wireformats;
// for groups createGroup, joinGroup, createCommit, createProposal, processMessage,
// createGroupInfoWithExternalPubAndRatchetTree, acceptAll, defaultProposalTypes, leafNodeSources,
// nodeTypes.
// Not exported by the package index, imported from the same files the index loads (one module
// instance): verifyKeyPackage and verifyLeafNodeSignatureKeyPackage (keyPackage.js, leafNode.js),
// varLenDataDecoder / varLenTypeDecoder (codec/variableLength.js), uint16Decoder (codec/number.js);
// for groups signLeafNodeCommit (leafNode.js: signs any LeafNodeTBS, the only way to make an
// update-source LeafNode), ratchetTreeFromExtension and verifyGroupInfoSignature (groupInfo.js),
// validateRatchetTree (clientState.js: what joinGroup / joinGroupExternal run on a received tree),
// leafNodeDecoder and parentNodeDecoder (leafNode.js, parentNode.js: to walk a tree node by node).
// ts-mls's package.json "exports" map hides them from bare specifiers; file URLs bypass it.
import * as tsmls from 'ts-mls';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const require = createRequire(import.meta.url);
const indexPath = require.resolve('ts-mls');
const dir = path.dirname(indexPath);
const deep = (f) => import(pathToFileURL(path.join(dir, f)).href);

const kpMod = await deep('keyPackage.js');
const leafMod = await deep('leafNode.js');
const vlMod = await deep('codec/variableLength.js');
const numMod = await deep('codec/number.js');
const giMod = await deep('groupInfo.js');
const csMod = await deep('clientState.js');
const pnMod = await deep('parentNode.js');

export const {
  decode, encode, mlsMessageDecoder, mlsMessageEncoder, keyPackageDecoder, keyPackageEncoder,
  generateKeyPackageWithKey, getCiphersuiteImpl, protocolVersions, wireformats,
  createGroup, joinGroup, createCommit, createProposal, processMessage,
  createGroupInfoWithExternalPubAndRatchetTree, acceptAll, defaultProposalTypes, defaultExtensionTypes,
  leafNodeSources, nodeTypes,
} = tsmls;
export const { verifyKeyPackage } = kpMod;
export const { verifyLeafNodeSignatureKeyPackage, signLeafNodeCommit, leafNodeDecoder } = leafMod;
export const { parentNodeDecoder } = pnMod;
export const { ratchetTreeFromExtension, verifyGroupInfoSignature } = giMod;
export const { validateRatchetTree } = csMod;
export const { varLenDataDecoder, varLenTypeDecoder } = vlMod;
export const { uint16Decoder } = numMod;

export const SUITE2_NAME = 'MLS_128_DHKEMP256_AES128GCM_SHA256_P256';
let suite2 = null;
/** The ts-mls implementation of cipher suite 0x0002 (cached: it loads @noble/curves once). */
export async function suite2Impl() {
  if (!suite2) suite2 = await getCiphersuiteImpl(SUITE2_NAME);
  return suite2;
}

