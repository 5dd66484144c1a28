import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/server/body.ts';
import { world, type CallOptions } from './client.ts';

/** A server with some history, so "unchanged" has something to compare. */
function seeded() {
  const w = world();
  w.create('c1', 'one', '0001', {}, { headers: { 'idempotency-key': 'k1' } });
  w.create('c2', 'two', '0001');
  w.call('DELETE', '/v1/tasks/t2');
  return w;
}

const cases: Array<[string, string, string, CallOptions, number, string]> = [
  ['bad JSON', 'POST', '/v1/tasks', { raw: '{"clientId": ' }, 400, 'JSON'],
  ['body not an object', 'POST', '/v1/tasks', { body: ['c1'] }, 400, 'body must be a JSON object'],
  ['no body', 'POST', '/v1/tasks', {}, 400, 'body'],
  ['missing clientId', 'POST', '/v1/tasks', { body: { title: 'x', stamp: '1' } }, 400, 'body.clientId'],
  ['empty clientId', 'POST', '/v1/tasks', { body: { clientId: '', title: 'x', stamp: '1' } }, 400, 'body.clientId'],
  ['title a number', 'POST', '/v1/tasks', { body: { clientId: 'c9', title: 5, stamp: '1' } }, 400, 'body.title'],
  ['missing title', 'POST', '/v1/tasks', { body: { clientId: 'c9', stamp: '1' } }, 400, 'body.title'],
  ['missing clientId', 'POST', '/v1/tasks', { body: { title: 'x', stamp: '1' } }, 400, 'body.clientId'],
  ['stamp a number', 'POST', '/v1/tasks', { body: { clientId: 'c9', title: 'x', stamp: 1 } }, 400, 'body.stamp'],
  ['clientTimestamp not ISO-8601', 'POST', '/v1/tasks', { body: { clientId: 'c9', title: 'x', clientTimestamp: '13/01/2026' } }, 400, 'body.clientTimestamp'],
  ['clientTimestamp epoch number', 'POST', '/v1/tasks', { body: { clientId: 'c9', title: 'x', clientTimestamp: 1768320600 } }, 400, 'body.clientTimestamp'],
  ['isCompleted against completed', 'POST', '/v1/tasks', { body: { clientId: 'c9', title: 'x', completed: true, isCompleted: false } }, 400, 'body.isCompleted'],
  ['clientId over 1,000 characters', 'POST', '/v1/tasks', { body: { clientId: 'c'.repeat(1_001), title: 'x', stamp: '1' } }, 400, 'body.clientId'],
  ['stamp over 1,000 characters', 'PUT', '/v1/tasks/t1', { body: { title: 'x', stamp: '9'.repeat(1_001) } }, 400, 'body.stamp'],
  ['title over 10,000 characters', 'POST', '/v1/tasks', { body: { clientId: 'c9', title: 'x'.repeat(10_001) } }, 400, '10000'],
  ['completed a string', 'POST', '/v1/tasks', { body: { clientId: 'c9', title: 'x', stamp: '1', completed: 'yes' } }, 400, 'body.completed'],
  ['write a number', 'POST', '/v1/tasks', { body: { clientId: 'c9', title: 'x', stamp: '1', write: 3 } }, 400, 'body.write'],
  ['empty idempotency key', 'POST', '/v1/tasks', { body: { clientId: 'c9', title: 'x', stamp: '1' }, headers: { 'idempotency-key': '' } }, 400, 'Idempotency-Key'],
  ['update version a string', 'PUT', '/v1/tasks/t1', { body: { title: 'x', version: '1', stamp: '9' } }, 400, 'body.version'],
  ['update version fractional', 'PUT', '/v1/tasks/t1', { body: { title: 'x', version: 1.5, stamp: '9' } }, 400, 'body.version'],
  ['update updatedAt not ISO-8601', 'PUT', '/v1/tasks/t1', { body: { title: 'x', updatedAt: 'yesterday' } }, 400, 'body.updatedAt'],
  ['update title over 10,000 characters', 'PUT', '/v1/tasks/t1', { body: { title: '😀'.repeat(10_001), stamp: '9' } }, 400, 'longer than 10000'],
  ['update unknown task', 'PUT', '/v1/tasks/t42', { body: { title: 'x', stamp: '9' } }, 404, 't42'],
  ['delete with bad body', 'DELETE', '/v1/tasks/t1', { raw: 'nope' }, 400, 'JSON'],
  ['delete stamp a number', 'DELETE', '/v1/tasks/t1', { body: { stamp: 1 } }, 400, 'body.stamp'],
  ['unknown route', 'GET', '/v2/tasks', {}, 404, '/v2/tasks'],
  ['trailing slash', 'GET', '/v1/tasks/', {}, 404, ''],
  ['wrong method', 'PATCH', '/v1/tasks/t1', { body: { title: 'x', stamp: '9' } }, 405, 'PATCH'],
  ['wrong method on batch', 'GET', '/v1/sync/batch', {}, 405, 'GET'],
  ['a method the API does not have, on any path', 'TRACE', '/nowhere', {}, 405, 'TRACE'],
  ['OPTIONS', 'OPTIONS', '/v1/tasks', {}, 405, 'OPTIONS'],
  ['cursor ahead of the server', 'GET', '/v1/tasks?since=9999999999', {}, 409, 'ahead'],
  ['status cursor ahead', 'GET', '/v1/sync/status?since=99', {}, 409, 'ahead'],
  ['batch cursor ahead', 'POST', '/v1/sync/batch', { body: { cursor: 99, operations: [{ type: 'create', clientId: 'c9', title: 'x' }] } }, 409, 'ahead'],
  ['since neither cursor nor ISO-8601', 'GET', '/v1/tasks?since=2026-13-45', {}, 400, 'ISO-8601'],
  ['batch data not an object', 'POST', '/v1/sync/batch', { body: { operations: 'x' } }, 400, 'operations'],
  ['invalid UTF-8', 'POST', '/v1/tasks', { raw: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) }, 400, 'UTF-8'],
  ['bad gzip', 'POST', '/v1/tasks', { raw: new Uint8Array([1, 2, 3]), headers: { 'content-encoding': 'gzip' } }, 400, 'gzip'],
  ['unknown encoding', 'POST', '/v1/tasks', { raw: '{}', headers: { 'content-encoding': 'br' } }, 415, 'br'],
  ['body over 1 MiB', 'POST', '/v1/tasks', { raw: 'x'.repeat(MAX_BODY_BYTES + 1) }, 413, 'larger'],
  ['gzip one byte over', 'POST', '/v1/tasks', { raw: gzipSync(' '.repeat(MAX_BODY_BYTES + 1)), headers: { 'content-encoding': 'gzip' } }, 413, 'larger'],
  ['gzip bomb', 'POST', '/v1/tasks', { raw: gzipSync(' '.repeat(MAX_BODY_BYTES + 10)), headers: { 'content-encoding': 'gzip' } }, 413, 'larger'],
  ['key reused', 'POST', '/v1/tasks', { body: { clientId: 'c7', title: 'x', stamp: '1' }, headers: { 'idempotency-key': 'k1' } }, 422, 'k1'],
];

describe('bad input leaves the store unchanged', () => {
  it.each(cases)('%s', (_name, method, path, options, status, mention) => {
    const w = seeded();
    const before = { alice: w.server.tasks('alice'), cursor: w.server.cursor('alice'), events: w.events.length };
    const reply = w.call(method, path, options);
    expect(reply.status).toBe(status);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expect(Object.keys(reply.json)).toEqual(['error']);
    expect(reply.json.error.retryable).toBe(false);
    expect(reply.json.error.message).toContain(mention);
    expect(w.server.tasks('alice')).toEqual(before.alice);
    expect(w.server.cursor('alice')).toBe(before.cursor);
    expect(w.events).toHaveLength(before.events);
    if (status === 405) expect(reply.headers['allow']).toBeDefined();
  });

  it('accepts a body of exactly 1 MiB (the cap is inclusive) after gunzip too', () => {
    const w = world();
    // The padding is a field the server ignores: a title that long would be TITLE_TOO_LONG.
    const prefix = '{"clientId":"big","stamp":"1","title":"x","padding":"';
    const padding = 'x'.repeat(MAX_BODY_BYTES - prefix.length - 2);
    const json = `${prefix}${padding}"}`;
    expect(Buffer.byteLength(json)).toBe(MAX_BODY_BYTES);
    expect(w.call('POST', '/v1/tasks', { raw: gzipSync(json), headers: { 'content-encoding': 'gzip' } }).status).toBe(201);
  });
});
