import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import {
  classifyConnectionFailure,
  databaseUnavailableError,
  poolTimeoutError,
  probeTimeoutError,
} from '@/db/connection-failure';
import { AppError, describeFailure, failureResponse } from '@/lib/errors/app-error';
import { UNAVAILABLE_MESSAGE } from '@/lib/errors/unavailable';

const coded = (code: string, message = code) => Object.assign(new Error(message), { code });
/** What postgres.js raises for an ErrorResponse: the SQLSTATE in `code`, wrapped by Drizzle with the query. */
const fromServer = (sqlstate: string) =>
  new DrizzleQueryError('select * from tasks where id = $1', ['secret-id'], coded(sqlstate));

describe('telling a failure to reach the database from a failed query', () => {
  it.each([
    'ECONNREFUSED',
    'ECONNRESET',
    'EPIPE',
    'ETIMEDOUT',
    'EHOSTUNREACH',
    'ENOTFOUND',
    'CONNECTION_CLOSED',
    'CONNECTION_ENDED',
    'CONNECTION_DESTROYED',
    'CONNECT_TIMEOUT',
  ])('%s from the socket or the driver is unreachable', (code) => {
    expect(classifyConnectionFailure(coded(code))).toBe('unreachable');
  });

  it.each(['08000', '08001', '08003', '08006', '08P01', '57P01', '57P02', '57P03'])(
    'SQLSTATE %s (connection exception, shutdown, starting up) is unreachable, through Drizzle',
    (sqlstate) => {
      expect(classifyConnectionFailure(fromServer(sqlstate))).toBe('unreachable');
    },
  );

  it('too_many_connections and a pool that stayed full are saturated, not an outage', () => {
    expect(classifyConnectionFailure(fromServer('53300'))).toBe('saturated');
    expect(classifyConnectionFailure(poolTimeoutError(1500))).toBe('saturated');
  });

  it.each([
    ['unique violation', '23505'],
    ['serialization failure', '40001'],
    ['deadlock', '40P01'],
    ['statement cancelled', '57014'],
    ['permission denied', '42501'],
    ['out of memory', '53200'],
    ['a code that only starts like class 08', '0800'],
  ])('a query the database answered (%s, %s) is not a connection failure', (_, sqlstate) => {
    expect(classifyConnectionFailure(fromServer(sqlstate))).toBeNull();
  });

  it('is not fooled by errors without a code, or by things that are not errors', () => {
    expect(classifyConnectionFailure(new Error('connect ECONNREFUSED 127.0.0.1:5432'))).toBeNull();
    expect(classifyConnectionFailure(new AppError('not_found', 'gone'))).toBeNull();
    for (const value of [null, undefined, 'ECONNREFUSED', 42, { code: 7 }])
      expect(classifyConnectionFailure(value)).toBeNull();
  });

  it('looks into the AggregateError Node raises when every address of a host refused', () => {
    const error = new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')], '');
    expect(classifyConnectionFailure(error)).toBe('unreachable');
  });

  it('prefers an outage found anywhere in the chain over a full pool, and survives a cycle', () => {
    const outer = Object.assign(poolTimeoutError(10), { cause: coded('57P01') });
    expect(classifyConnectionFailure(outer)).toBe('unreachable');
    const a: Error & { cause?: unknown } = new Error('a');
    const b: Error & { cause?: unknown } = new Error('b');
    a.cause = b;
    b.cause = a;
    expect(classifyConnectionFailure(a)).toBeNull();
  });

  it("counts the breaker's own refusal and a probe that got no answer as unreachable", () => {
    expect(classifyConnectionFailure(databaseUnavailableError())).toBe('unreachable');
    expect(classifyConnectionFailure(probeTimeoutError(1000))).toBe('unreachable');
  });
});

describe('what an entry point answers for it', () => {
  it('is 503 unavailable with Retry-After in the error shape, naming nothing internal', async () => {
    const failure = describeFailure(fromServer('57P01'));
    expect(failure).toEqual({
      code: 'unavailable',
      message: UNAVAILABLE_MESSAGE,
      retryAfterSeconds: 2,
    });
    const response = failureResponse(failure);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = await response.json();
    expect(body).toEqual({ error: failure });
    expect(JSON.stringify(body)).not.toMatch(/select|secret-id|57P01/);
  });

  it('keeps answering anything else that is not an AppError as a 500', () => {
    expect(describeFailure(fromServer('23505')).code).toBe('internal');
  });
});
