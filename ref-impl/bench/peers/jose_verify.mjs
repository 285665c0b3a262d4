// jose_verify.mjs DIR [SECONDS] NODE_DIR: jose's compactVerify of the bench PASSporT
// (DIR/passport.jwt, key from DIR/signer.pem), signature only, in a loop, per CPU second of the process. jose is taken from the
// node peer's node_modules (NODE_DIR, harness/adapters/node). Prints one line:
// "jose <version> compactVerify (signature only): N/s". Exit 3 when jose is missing.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const [dir, secs, nodeDir] = process.argv.slice(2);
const seconds = Number(secs || 0.5);
let jose, version = '?';
try {
  const require = createRequire(`${nodeDir}/package.json`);
  jose = await import(pathToFileURL(require.resolve('jose')).href);
  version = JSON.parse(readFileSync(`${nodeDir}/node_modules/jose/package.json`, 'utf8')).version;
} catch (e) {
  console.error(`jose: not available (${e.message})`);
  process.exit(3);
}
// CPU seconds of the process (user + system), as the other loops measure
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const token = readFileSync(`${dir}/passport.jwt`, 'utf8').trim();
const key = await jose.importX509(readFileSync(`${dir}/signer.pem`, 'utf8'), 'ES256');
await jose.compactVerify(token, key);
let best = 0;
for (let r = 0; r < 3; r++) {
  let n = 0;
  const t0 = cpu();
  let dt;
  do {
    for (let i = 0; i < 8; i++) await jose.compactVerify(token, key);
    n += 8;
    dt = cpu() - t0;
  } while (dt < seconds);
  best = Math.max(best, n / dt);
}
console.log(`jose ${version} compactVerify (signature only): ${best.toFixed(0)}/s`);
