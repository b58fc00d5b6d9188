// Builds dist/: declarations with tsc, minified ES module bundles with esbuild, then checks the
// size budget of the RTM client bundle (minified + gzipped).
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const LIMIT = 20 * 1024;
rmSync('dist', { recursive: true, force: true });
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });

const common = { bundle: true, format: 'esm', target: 'es2020', minify: true, platform: 'neutral', legalComments: 'none', logLevel: 'warning' };
await build({ ...common, entryPoints: ['src/rtmkit.ts'], outfile: 'dist/rtmkit.js' });
// The Signaling facade shares the RTM engine module instead of carrying its own copy.
await build({ ...common, entryPoints: ['src/signaling.ts'], outfile: 'dist/signaling.js', external: ['./rtmkit.js'] });

let failed = false;
for (const [file, limit] of [['dist/rtmkit.js', LIMIT], ['dist/signaling.js', Infinity]]) {
  const raw = readFileSync(file);
  const gz = gzipSync(raw, { level: 9 }).length;
  const over = gz > limit;
  failed ||= over;
  console.log(`${file}: ${(raw.length / 1024).toFixed(1)} KB minified, ${(gz / 1024).toFixed(1)} KB gzipped` +
    (limit !== Infinity ? ` (budget ${limit / 1024} KB)${over ? ' OVER BUDGET' : ''}` : ''));
}
if (failed) process.exit(1);
