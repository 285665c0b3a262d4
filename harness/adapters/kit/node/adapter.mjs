// A stirmls-interop/1 adapter skeleton (JavaScript, node, no dependencies). Copy it, fill in verify().
//
//   node adapter.mjs                          stdio: requests on stdin, responses on stdout
//   node adapter.mjs --listen 127.0.0.1:9000  TCP: the same lines, one connection at a time
//
// The protocol is docs/protocol.md. Until you fill it in, every verify and generate answers the error
// `unimplemented` (the harness scores UNSUPPORTED), so a run judges nothing and exits 1 unless
// --allow-unsupported-only: that is the kit's self-test in `make check`.
import net from 'node:net';
import readline from 'node:readline';

// What your implementation claims. The harness sends a case only when its op is in OPS, its kind in
// KINDS and every one of its tags in TAGS (the suite's tags: docs/scenarios.md, "tags"). Remove what
// you do not implement: a case you do not claim is UNSUPPORTED without being sent.
const OPS = ['verify']; // add 'generate' when you produce PASSporTs or KeyPackages
const KINDS = ['cert_chain', 'passport', 'credential', 'key_package'];
const TAGS = ['cert', 'delegation', 'spc-trust', 'passport', 'mky', 'shaken', 'rcd', 'sip-profile', 'x5u',
  'credential', 'keypackage'];

// Diagnostics go to stderr (the harness keeps them in <out>/stderr/NAME.log); never to stdout.
const log = (...a) => console.error('kit-node:', ...a);

// Throw it for anything you do not support: the harness scores the case UNSUPPORTED.
class Unimplemented extends Error {}

// Judge one artefact. Return {verdict, reason, native}: verdict 'accept' or 'reject'; reason the NAME
// from docs/reason-codes.md ('' on accept); native your library's own text.
//   kind          'cert_chain' | 'passport' | 'credential' | 'key_package'
//   at            evaluation time, Unix seconds: use it instead of the clock for every validity check
//   trustAnchors  PEM certificates, one per string
//   input         per kind (docs/protocol.md, verify): chain, passport, x5u_map, signature_key, tn, ...
//   policy        profile ('mls'|'sip'), strict, trust_spc, max_age, skew, ... (defaults in the protocol)
// A bad input is a reject, not an exception: throw only for "I could not judge".
function verify(kind, at, trustAnchors, input, policy) {
  // Fill in, for example for kind 'passport':
  //   const r = myLibrary.verifyPassport(input.passport, input.chain ?? [], trustAnchors, at);
  //   return r.ok ? {verdict: 'accept', reason: '', native: ''}
  //               : {verdict: 'reject', reason: 'PPT_SIG_INVALID', native: r.message};
  throw new Unimplemented(`verify of kind ${kind} not filled in yet`);
}

// Produce an artefact (only if OPS lists 'generate'): {passport: '<compact JWS>'} for kind passport,
// {key_package: '<hex>'} for kind key_package.
function generate(params) {
  throw new Unimplemented(`generate of kind ${params.kind} not filled in yet`);
}

// One request object -> [response object, keep going].
function handle(req) {
  const id = req.id, p = req.params ?? {};
  try {
    switch (req.op) {
      case 'hello':
        return [{id, result: {name: 'kit-node', version: '0.1', protocol: 'stirmls-interop/1',
          ops: OPS, kinds: KINDS, tags: TAGS}}, true];
      case 'verify': {
        const r = verify(p.kind, p.at, p.trust_anchors ?? [], p.input ?? {}, p.policy ?? {});
        return [{id, result: {verdict: r.verdict, reason: r.reason, native: r.native, identities: []}}, true];
      }
      case 'generate':
        return [{id, result: {artifact: generate(p)}}, true];
      case 'shutdown':
        return [{id, result: {}}, false];
      default:
        throw new Unimplemented(`op ${req.op}`);
    }
  } catch (e) {
    if (e instanceof Unimplemented) return [{id, error: {code: 'unimplemented', message: e.message}}, true];
    log(`request ${id}: internal error:`, e);
    return [{id, error: {code: 'internal', message: String(e)}}, true];
  }
}

// The loop: one JSON object per line in, one per line out, in order.
function serve(input, output, onEnd) {
  const rl = readline.createInterface({input, crlfDelay: Infinity});
  rl.on('line', (line) => {
    let req;
    try { req = JSON.parse(line); } catch (e) { log('not JSON:', e.message); return; }
    const [resp, goOn] = handle(req);
    output.write(JSON.stringify(resp) + '\n');
    if (!goOn) { rl.close(); onEnd(); }
  });
  rl.on('close', onEnd);
}

const args = process.argv.slice(2);
if (args.length === 2 && args[0] === '--listen') {
  const i = args[1].lastIndexOf(':');
  const server = net.createServer((sock) => serve(sock, sock, () => sock.end()));
  server.listen(Number(args[1].slice(i + 1)), args[1].slice(0, i),
    () => log(`listening on ${args[1].slice(0, i)}:${server.address().port}`));
} else if (args.length === 0) {
  serve(process.stdin, process.stdout, () => process.exit(0));
} else {
  console.error('usage: node adapter.mjs [--listen HOST:PORT]');
  process.exit(2);
}
