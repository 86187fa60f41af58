/**
 * The OpenAPI 3.1 document of the alerts API (GET /api/v1/openapi.json). Written by hand
 * from the routes in plugin.ts; tests/server/api-openapi.test.ts checks that every route
 * is in it and every path in it answers.
 */
import { PRIORITIES } from '../../rules/index.ts';

const str = { type: 'string' } as const;
const nstr = { type: ['string', 'null'] } as const;
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const FILTER_PARAMS = [
  ['from', 'Inclusive start: RFC 3339 time or ns since the epoch'],
  ['to', 'Exclusive end: RFC 3339 time or ns since the epoch'],
  ['priority', 'Minimum priority (this one and more severe)'],
  ['rule', 'Rule name; repeat for several'],
  ['source', 'k8s_audit or k8s_admission'],
  ['tag', 'A tag the alert carries'],
  ['cluster', 'Cluster name'],
  ['namespace', 'Namespace'],
  ['user', 'User name'],
  ['verb', 'Verb (get, create, ...)'],
  ['resource', 'Resource, with /subresource when there is one (pods/exec)'],
  ['q', 'Case-insensitive text in the output or the columns'],
].map(([name, description]) => ({
  name,
  in: 'query',
  description,
  required: false,
  schema:
    name === 'rule'
      ? { type: 'array', items: str }
      : name === 'priority'
        ? { enum: PRIORITIES }
        : str,
  ...(name === 'rule' ? { style: 'form', explode: true } : {}),
}));

const ERROR_RESPONSE = {
  description: 'Error',
  content: { 'application/json': { schema: ref('Error') } },
};
const errors = { '400': ERROR_RESPONSE, '401': ERROR_RESPONSE, '403': ERROR_RESPONSE };
const json = (schema: object, description = 'OK') => ({
  description,
  content: { 'application/json': { schema } },
});

const STORED_ALERT = {
  type: 'object',
  required: [
    'id',
    'time',
    'timeNs',
    'rule',
    'priority',
    'source',
    'tags',
    'hostname',
    'output',
    'message',
    'outputFields',
    'redacted',
  ],
  properties: {
    id: str,
    time: { type: 'string', description: 'RFC 3339, nanoseconds, UTC' },
    timeNs: { type: 'string', description: 'ns since the epoch, decimal' },
    rule: str,
    priority: { enum: PRIORITIES },
    source: str,
    tags: { type: 'array', items: str },
    hostname: str,
    cluster: nstr,
    output: str,
    message: str,
    outputFields: {
      type: 'object',
      additionalProperties: { type: ['string', 'array', 'null'], items: str },
    },
    namespace: nstr,
    user: nstr,
    verb: nstr,
    resource: nstr,
    name: nstr,
    auditId: nstr,
    stage: nstr,
    sourceIp: nstr,
    userAgent: nstr,
    responseCode: { type: ['integer', 'null'] },
    redacted: { type: 'boolean', description: 'Secret data values in the event were replaced' },
    correlation: {
      description:
        'A correlated rule: the events that made the alert (docs/correlation.md); null for an alert of one event',
      oneOf: [
        { type: 'null' },
        {
          type: 'object',
          required: ['count', 'windowMs', 'group', 'auditIds'],
          properties: {
            count: {
              type: 'integer',
              description:
                'events, distinct values or steps; on a suppression summary the alerts held back',
            },
            windowMs: { type: 'integer' },
            group: {
              type: 'object',
              additionalProperties: str,
              description: 'group key: term to value',
            },
            auditIds: { type: 'array', items: str, description: 'the newest 64' },
            suppressed: {
              type: 'integer',
              description: 'on the alert closing a suppression window',
            },
          },
        },
      ],
    },
  },
};

/** The document; `basePath` goes into `servers`. */
export function buildOpenApi(basePath: string): object {
  return {
    openapi: '3.1.0',
    info: { title: 'kaudit alerts API', version: '1' },
    servers: [{ url: `${basePath}/api/v1` }],
    security: [{ bearer: [] }, { cookie: [] }],
    paths: {
      '/alerts': {
        get: {
          summary: 'Alerts, newest first, one page',
          parameters: [
            ...FILTER_PARAMS,
            {
              name: 'limit',
              in: 'query',
              schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
            },
            {
              name: 'cursor',
              in: 'query',
              schema: str,
              description: '`next` of the previous page',
            },
          ],
          responses: { '200': json(ref('AlertPage')), ...errors },
        },
        delete: {
          summary: 'Delete the alerts a filter selects (admin); no filter needs all=true',
          parameters: [...FILTER_PARAMS, { name: 'all', in: 'query', schema: { enum: ['true'] } }],
          responses: {
            '200': json({ type: 'object', properties: { deleted: { type: 'integer' } } }),
            ...errors,
          },
        },
      },
      '/alerts/{id}': {
        get: {
          summary: 'One alert with its event and rule',
          parameters: [{ name: 'id', in: 'path', required: true, schema: str }],
          responses: { '200': json(ref('StoredAlertWithEvent')), '404': ERROR_RESPONSE, ...errors },
        },
      },
      '/alerts/counts': {
        get: {
          summary: 'Counts per key, in total and per time bucket',
          parameters: [
            ...FILTER_PARAMS,
            {
              name: 'by',
              in: 'query',
              schema: { enum: ['priority', 'rule', 'user', 'namespace'], default: 'priority' },
            },
            { name: 'bucket', in: 'query', schema: str, description: 'Duration: 30s, 5m, 1h, 1d' },
            {
              name: 'limit',
              in: 'query',
              schema: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
            },
          ],
          responses: { '200': json(ref('Counts')), ...errors },
        },
      },
      '/alerts/export': {
        get: {
          summary: 'Every matching alert as a file (streamed)',
          parameters: [
            ...FILTER_PARAMS,
            { name: 'format', in: 'query', required: true, schema: { enum: ['csv', 'ndjson'] } },
          ],
          responses: {
            '200': {
              description: 'Attachment',
              content: { 'text/csv': { schema: str }, 'application/x-ndjson': { schema: str } },
            },
            ...errors,
          },
        },
      },
      '/alerts/stream': {
        get: {
          summary: 'New matching alerts as server-sent events (event: alert)',
          parameters: FILTER_PARAMS,
          responses: {
            '200': {
              description: 'Event stream',
              content: { 'text/event-stream': { schema: str } },
            },
            ...errors,
          },
        },
      },
      '/rules': {
        get: {
          summary: 'Loaded rules',
          responses: { '200': json({ type: 'array', items: ref('Rule') }), ...errors },
        },
      },
      '/whoami': {
        get: {
          summary: 'The role of the caller',
          responses: {
            '200': json({ type: 'object', properties: { role: { enum: ['read', 'admin'] } } }),
            ...errors,
          },
        },
      },
      '/admin/reload-rules': {
        post: {
          summary: 'Reload the rules files (admin)',
          responses: {
            '200': json({
              type: 'object',
              properties: { ok: { type: 'boolean' }, errors: { type: 'array', items: str } },
            }),
            '422': ERROR_RESPONSE,
            ...errors,
          },
        },
      },
      '/openapi.json': {
        get: {
          summary: 'This document',
          security: [],
          responses: { '200': json({ type: 'object' }) },
        },
      },
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'kaudit_session' },
      },
      schemas: {
        Error: {
          type: 'object',
          properties: { error: { type: 'object', properties: { code: str, message: str } } },
        },
        StoredAlert: STORED_ALERT,
        StoredAlertWithEvent: {
          allOf: [
            ref('StoredAlert'),
            {
              type: 'object',
              properties: {
                event: { type: ['object', 'null'] },
                ruleInfo: { oneOf: [{ type: 'null' }, ref('RuleInfo')] },
              },
            },
          ],
        },
        AlertPage: {
          type: 'object',
          properties: { items: { type: 'array', items: ref('StoredAlert') }, next: nstr },
        },
        Counts: {
          type: 'object',
          properties: {
            by: str,
            bucketMs: { type: 'integer' },
            from: str,
            to: str,
            totals: {
              type: 'array',
              items: { type: 'object', properties: { key: str, count: { type: 'integer' } } },
            },
            buckets: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  t: str,
                  counts: { type: 'object', additionalProperties: { type: 'integer' } },
                },
              },
            },
          },
        },
        RuleInfo: {
          type: 'object',
          properties: {
            description: str,
            condition: str,
            tags: { type: 'array', items: str },
            priority: str,
            source: str,
            defined: str,
          },
        },
        Rule: {
          type: 'object',
          properties: {
            name: str,
            priority: str,
            source: str,
            tags: { type: 'array', items: str },
            description: str,
            condition: str,
            enabled: { type: 'boolean' },
            defined: str,
          },
        },
      },
    },
  };
}
