import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REDACTED, sanitizeEvent } from '../../src/store/index.ts';

const parse = (e: Record<string, unknown>) => {
  const r = sanitizeEvent(e);
  return { event: JSON.parse(r.json), redacted: r.redacted };
};

describe('sanitizeEvent()', () => {
  it('redacts the Secret of an AdmissionReview request (object and oldObject)', () => {
    const secret = { kind: 'Secret', metadata: { name: 's' }, data: { a: 'QQ==' } };
    const { event, redacted } = parse({
      kind: 'AdmissionReview',
      request: {
        uid: 'u',
        kind: { kind: 'Secret' },
        resource: { resource: 'secrets' },
        object: secret,
        oldObject: { data: { a: 'Qg==' } },
      },
    });
    assert.equal(redacted, true);
    assert.deepEqual(event.request.object.data, { a: REDACTED });
    assert.deepEqual(event.request.oldObject.data, { a: REDACTED });
  });

  it('redacts every item of a SecretList response, with or without kinds on the items', () => {
    const { event } = parse({
      auditID: 'x',
      objectRef: { resource: 'secrets' },
      responseObject: {
        kind: 'SecretList',
        items: [
          { metadata: { name: 'a' }, data: { k: 'djE=' } },
          { kind: 'Secret', stringData: { t: 'v2' } },
        ],
      },
    });
    assert.deepEqual(event.responseObject.items[0].data, { k: REDACTED });
    assert.deepEqual(event.responseObject.items[1].stringData, { t: REDACTED });
  });

  it('redacts a Secret nested anywhere (a List of mixed kinds), keeps other objects', () => {
    const { event, redacted } = parse({
      auditID: 'x',
      objectRef: { resource: 'configmaps' },
      requestObject: {
        kind: 'List',
        items: [
          { kind: 'Secret', data: { p: 'eA==' } },
          { kind: 'ConfigMap', data: { p: 'plain' } },
        ],
      },
    });
    assert.equal(redacted, true);
    assert.deepEqual(event.requestObject.items[0].data, { p: REDACTED });
    assert.deepEqual(event.requestObject.items[1].data, { p: 'plain' });
  });

  it('leaves an event without secrets as it was, less managedFields', () => {
    const e = {
      auditID: 'x',
      verb: 'get',
      objectRef: { resource: 'pods' },
      responseObject: {
        metadata: { name: 'p', managedFields: [{}], labels: { a: 'b' } },
        data: 'x',
      },
    };
    const { event, redacted } = parse(e);
    assert.equal(redacted, false);
    assert.deepEqual(event, {
      ...e,
      responseObject: { metadata: { name: 'p', labels: { a: 'b' } }, data: 'x' },
    });
    assert.deepEqual(e.responseObject.metadata.managedFields, [{}], 'the input is not changed');
  });

  it('keeps a managedFields key that is not under metadata', () => {
    const { event } = parse({
      auditID: 'x',
      requestObject: { data: { managedFields: 'user text' } },
    });
    assert.equal(event.requestObject.data.managedFields, 'user text');
  });
});
