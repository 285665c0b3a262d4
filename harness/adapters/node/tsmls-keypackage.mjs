#!/usr/bin/env node
// tsmls-keypackage.mjs: ts-mls 2.0.0-rc.10 as a command-line judge and producer of KeyPackages,
// for the C test suite.
//   node tsmls-keypackage.mjs create (--key KEY.pem | --keygen tsmls) --credential-hex HEX
//                                    --not-before N --not-after N
//     -> prints the hex MLSMessage (suite 0x0002, explicit capabilities listing the credential
//        type, no extensions); signed with KEY.pem's key written uncompressed, or with
//        `--keygen tsmls` a fresh key from ts-mls's own keygen (a 33-byte compressed point, as
//        ts-mls's generateKeyPackage does by default)
//   node tsmls-keypackage.mjs verify --hex HEX
//     -> prints {"ok":bool,"error":string|null,...} from ts-mls's own decode and its LeafNode and
//        KeyPackage signature checks (nothing else: no STIR checks, no lifetime).
// Exit status: 0 ok, 1 rejected, 2 usage or internal error.
import { readFileSync } from 'node:fs';
import { createKeyPackage, tsmlsCheck } from './lib/mls.mjs';
import { suite2Impl } from './lib/tsmls.mjs';
import { hexToBytes, bytesToHex, errText } from './lib/util.mjs';

function usage(msg) {
  process.stderr.write(`${msg ? msg + '\n' : ''}usage: tsmls-keypackage.mjs create (--key KEY.pem | --keygen tsmls) --credential-hex HEX --not-before N --not-after N\n       tsmls-keypackage.mjs verify --hex HEX\n`);
  process.exit(2);
}

function args(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) usage(`bad argument ${argv[i]}`);
    out[argv[i].slice(2)] = argv[i + 1];
  }
  return out;
}

const [cmd, ...rest] = process.argv.slice(2);
const a = args(rest);
try {
  if (cmd === 'create') {
    if (!(a.key || a.keygen === 'tsmls') || !a['credential-hex'] || a['not-before'] === undefined || a['not-after'] === undefined) usage('create needs --key or --keygen tsmls, --credential-hex, --not-before, --not-after');
    const keyPair = a.key ? undefined : await (await suite2Impl()).signature.keygen();
    const bytes = await createKeyPackage({
      keyPem: a.key ? readFileSync(a.key, 'utf8') : undefined,
      keyPair,
      credentialHex: a['credential-hex'],
      notBefore: Number(a['not-before']),
      notAfter: Number(a['not-after']),
    });
    process.stdout.write(`${bytesToHex(bytes)}\n`);
  } else if (cmd === 'verify') {
    if (!a.hex) usage('verify needs --hex');
    const r = await tsmlsCheck(hexToBytes(a.hex.trim()));
    const kp = r.kp;
    const out = { ok: r.ok, error: r.error, stage: r.ok ? null : r.stage };
    if (kp) {
      out.cipher_suite = kp.cipherSuite;
      out.credential_type = kp.leafNode.credential.credentialType;
      out.signature_key_len = kp.leafNode.signaturePublicKey.length;
      out.not_before = Number(kp.leafNode.lifetime.notBefore);
      out.not_after = Number(kp.leafNode.lifetime.notAfter);
      out.capabilities_credentials = kp.leafNode.capabilities.credentials;
      out.extensions = kp.extensions.map((e) => e.extensionType);
    }
    process.stdout.write(`${JSON.stringify(out)}\n`);
    process.exit(r.ok ? 0 : 1);
  } else {
    usage(`unknown command ${cmd ?? ''}`);
  }
} catch (e) {
  process.stdout.write(`${JSON.stringify({ ok: false, error: errText(e), stage: 'usage' })}\n`);
  process.exit(2);
}
