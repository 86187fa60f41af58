import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseOutputSpec } from '../../src/outputs/index.ts';

test('parseOutputSpec() reads each type, with and without options', () => {
  assert.deepEqual(parseOutputSpec('stdout'), { type: 'stdout', target: '', options: {} });
  assert.deepEqual(parseOutputSpec('stdout:json'), {
    type: 'stdout',
    target: '',
    options: { format: 'json' },
  });
  assert.deepEqual(parseOutputSpec('file:/var/log/a b.json'), {
    type: 'file',
    target: '/var/log/a b.json',
    options: {},
  });
  assert.deepEqual(parseOutputSpec('file[mode=0640,format=text,iso-time]:alerts.log'), {
    type: 'file',
    target: 'alerts.log',
    options: { mode: 0o640, format: 'text', isoTime: true },
  });
  // The URL is taken verbatim: its own query goes to the receiver.
  assert.deepEqual(parseOutputSpec('http:https://sidekick:2801/?a=1&b=2'), {
    type: 'http',
    target: 'https://sidekick:2801/?a=1&b=2',
    options: {},
  });
  assert.equal(parseOutputSpec('https://sidekick:2801/').target, 'https://sidekick:2801/');
  assert.equal(parseOutputSpec('http://sidekick:2801/').type, 'http');
  assert.deepEqual(parseOutputSpec("program:jq -c '{text: .output}' | curl -d @- http://x/#a,b"), {
    type: 'program',
    target: "jq -c '{text: .output}' | curl -d @- http://x/#a,b",
    options: {},
  });
});

test('parseOutputSpec() reads the selection and the http options', () => {
  const spec = parseOutputSpec(
    'http[min-priority=warning,rule=K8s *,rule=Create*,tag=k8s,header=Authorization: Bearer a%2Cb,timeout=2s,retries=5,concurrency=2,queue-size=500,flush-timeout=1500ms,insecure-skip-verify=false]:https://h/',
  );
  assert.deepEqual(spec.options, {
    filter: { minPriority: 'Warning', rules: ['K8s *', 'Create*'], tags: ['k8s'] },
    headers: { Authorization: 'Bearer a,b' },
    timeoutMs: 2000,
    retries: 5,
    concurrency: 2,
    queueSize: 500,
    flushTimeoutMs: 1500,
    insecureSkipVerify: false,
  });
  assert.equal(
    parseOutputSpec('http[flush-timeout=none]:http://h/').options.flushTimeoutMs,
    Number.POSITIVE_INFINITY,
  );
  assert.deepEqual(parseOutputSpec('program[min-priority=info,flush-timeout=1m]:cat').options, {
    filter: { minPriority: 'Informational' },
    flushTimeoutMs: 60_000,
  });
});

test('parseOutputSpec() refuses bad specs with OUTPUT_SPEC_INVALID and says why', () => {
  const cases: [string, RegExp][] = [
    ['bogus:x', /unknown output type 'bogus'/],
    ['file', /file needs a path/],
    ['file:', /file needs a path/],
    ['http:', /http needs a URL/],
    ['http:ftp://x/', /http:\/\/ or https:\/\/ URL/],
    ['program:  ', /program needs a command/],
    ['stdout:yaml', /json or text/],
    ['file[mode=999]:x', /octal permissions/],
    ['file[header=A: b]:x', /'header' does not apply to file outputs/],
    ['stdout[queue-size=5]', /'queue-size' does not apply to stdout/],
    ['http[colour=red]:http://h/', /unknown option 'colour'/],
    ['http[timeout=5]:http://h/', /duration such as 500ms/],
    ['http[retries=-1]:http://h/', /whole number/],
    ['http[concurrency=0]:http://h/', /whole number from 1/],
    ['http[min-priority=loud]:http://h/', /priority such as warning/],
    ['http[format=json,format=text]:http://h/', /given twice/],
    ['http[header=Bad Name: x]:http://h/', /'Name: value'/],
    ['http[header=X: a%0Ab]:http://h/', /line break/],
    ['http[ca=%ZZ]:http://h/', /bad %-escape/],
    ['http[=x]:http://h/', /no name/],
    ['file[iso-time=yes]:x', /true or false/],
    ['FILE:x', /expected TYPE\[OPTIONS\]:TARGET/],
  ];
  for (const [spec, why] of cases) {
    assert.throws(() => parseOutputSpec(spec), { code: 'OUTPUT_SPEC_INVALID', message: why }, spec);
  }
});
