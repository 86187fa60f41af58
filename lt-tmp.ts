import { findTokens } from './src/fields/credentials/find-tokens.ts';
import { findShapes } from './src/fields/credentials/find-shapes.ts';
import { findAssignments } from './src/fields/credentials/find-assignments.ts';
import { decodeBase64Text } from './src/fields/credentials/decode.ts';
import { looksRandom } from './src/fields/credentials/values.ts';
const fill = (u: string, n: number) => u.repeat(Math.ceil(n / u.length)).slice(0, n);
function cpu(f: () => void, times: number) { let best = 1e18; for (let r = 0; r < 7; r++) { const b = process.cpuUsage(); for (let i = 0; i < times; i++) f(); const u = process.cpuUsage(b); best = Math.min(best, u.user + u.system); } return best; }
for (const [name, fn] of [['tokens', (t: string) => findTokens(t, [])], ['shapes', (t: string) => findShapes(t, [])], ['assign', (t: string) => findAssignments(t, [])], ['b64', (t: string) => decodeBase64Text(t)], ['trim', (t: string) => t.trim()]] as const) {
  const s = fill('aB3-', 32 * 1024), l = fill('aB3-', 256 * 1024);
  cpu(() => fn(s), 8); cpu(() => fn(l), 1);
  const a = cpu(() => fn(s), 8), b = cpu(() => fn(l), 1);
  console.log(name, a, b, (b / a).toFixed(2));
}
import { scanRequestObject } from './src/fields/credentials/index.ts';
{
  const s = { data: { v: fill('aB3-', 32 * 1024) } }, l = { data: { v: fill('aB3-', 256 * 1024) } };
  for (let k = 0; k < 3; k++) {
  cpu(() => scanRequestObject(s), 8); cpu(() => scanRequestObject(l), 1);
  const a = cpu(() => scanRequestObject(s), 8), b = cpu(() => scanRequestObject(l), 1);
  console.log('full', a, b, (b / a).toFixed(2));
  }
}
