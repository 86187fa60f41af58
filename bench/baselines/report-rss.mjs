// Preloaded (node --import) into a measured node process when /usr/bin/time is missing:
// writes the process's peak RSS in KiB to $KAUDIT_BENCH_RSS_FILE at exit.
import { writeFileSync } from 'node:fs';

const out = process.env.KAUDIT_BENCH_RSS_FILE;
if (out) {
  process.on('exit', () => {
    writeFileSync(out, String(process.resourceUsage().maxRSS));
  });
}
