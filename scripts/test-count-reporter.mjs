// node:test reporter: counts the tests each file ran (suites aside) and writes them as one
// JSON object, file -> count. run-tests.mjs uses it to tell how many fixture-driven tests
// a checkout without ../shared did not generate (see fixture-counts.mjs).
export default async function* countTests(source) {
  const byFile = {};
  for await (const ev of source) {
    if (ev.type !== 'test:pass' && ev.type !== 'test:fail') continue;
    const d = ev.data;
    if (d.details?.type === 'suite' || d.file === undefined) continue;
    byFile[d.file] = (byFile[d.file] ?? 0) + 1;
  }
  yield JSON.stringify(byFile);
}
