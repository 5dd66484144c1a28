import { describe, expect, it } from 'vitest';
import { wireRequest } from '../../src/server/http.ts';

describe('wireRequest: what an adapter read, as the model request', () => {
  it('upper-cases the method, lower-cases header names and joins repeated values', () => {
    const request = wireRequest({
      method: 'post',
      target: '/v1/tasks?x=1',
      headers: [
        ['Content-Type', 'application/json'],
        ['x-multi', ['a', 'b']],
        ['X-Multi', 'c'],
        ['x-absent', undefined],
      ],
      body: new Uint8Array([123, 125]),
    });
    expect(request).toEqual({
      method: 'POST',
      path: '/v1/tasks?x=1',
      headers: { 'content-type': 'application/json', 'x-multi': 'a, b, c' },
      body: new Uint8Array([123, 125]),
    });
  });

  it('reads an empty body as none and a missing method as GET', () => {
    expect(wireRequest({ method: undefined, target: '', headers: [], body: new Uint8Array(0) })).toEqual({
      method: 'GET',
      path: '/',
      headers: {},
      body: null,
    });
  });
});
