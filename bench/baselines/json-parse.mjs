#!/usr/bin/env node
// The floor kaudit is measured against: read the file in 1 MiB chunks, split lines,
// JSON.parse each. Prints the number of events parsed. Usage: json-parse.mjs <file>
import { openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

const fd = openSync(process.argv[2], 'r');
const buf = Buffer.allocUnsafe(1 << 20);
const decoder = new StringDecoder('utf8');
let rest = '';
let events = 0;
let sink = 0;
for (;;) {
  const n = readSync(fd, buf, 0, buf.length, null);
  if (n === 0) break;
  const text = rest + decoder.write(buf.subarray(0, n));
  let start = 0;
  for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
    if (nl > start) {
      const obj = JSON.parse(text.slice(start, nl));
      // Touch the result so the parse cannot be optimised away.
      if (obj.verb !== undefined) sink++;
      events++;
    }
    start = nl + 1;
  }
  rest = text.slice(start);
}
if (rest.trim().length > 0) {
  JSON.parse(rest);
  events++;
}
process.stdout.write(`${events} ${sink}\n`);
