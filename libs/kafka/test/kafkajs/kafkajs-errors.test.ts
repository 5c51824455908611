import { describe, expect, it } from '@jest/globals';
import { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSSASLAuthenticationError } from 'kafkajs';
import { isKafkajsRetriable, toKafkaError } from '../../src/kafkajs/kafkajs-errors';

// kafkajs' typings lag its constructors (message or error, plus { cause }).
const SaslError = KafkaJSSASLAuthenticationError as unknown as new (message: string) => Error;
const NonRetriable = KafkaJSNonRetriableError as unknown as new (e: Error, options?: { cause?: unknown }) => Error;

describe('toKafkaError', () => {
  it('when kafkajs wraps a SASL failure in KafkaJSNonRetriableError, then it is KAFKA_AUTH and not retriable', () => {
    const sasl = new SaslError('SASL SCRAM SHA512 authentication failed: invalid credentials');
    const wrapped = new NonRetriable(sasl, { cause: sasl });
    const mapped = toKafkaError(wrapped, 'producer connect failed');
    expect(mapped.code).toBe('KAFKA_AUTH');
    expect(mapped.retriable).toBe(false);
    expect(mapped.message).toMatch(/authentication failed/);
  });

  it('when the context mentions "connect" but the error does not, then it is not a connection error', () => {
    const other = new NonRetriable(new Error('Topic authorization failed'));
    expect(toKafkaError(other, 'producer connect failed').code).toBe('KAFKA_ERROR');
  });

  it('when the broker is unreachable, then it is a retriable KAFKA_CONNECTION', () => {
    const mapped = toKafkaError(new KafkaJSConnectionError('Connection error: connect ECONNREFUSED'), 'producer connect failed');
    expect(mapped.code).toBe('KAFKA_CONNECTION');
    expect(mapped.retriable).toBe(true);
  });

  it('when kafkajs wraps a retriable cause in a non-retriable error, then the innermost cause decides', () => {
    const inner = Object.assign(new Error('leader not available'), { retriable: true });
    const wrapped = Object.assign(new Error('retries exceeded', { cause: inner }), { retriable: false });
    expect(isKafkajsRetriable(wrapped)).toBe(true);
    const tooLarge = Object.assign(new Error('message too large'), { retriable: false, type: 'MESSAGE_TOO_LARGE' });
    const exceeded = Object.assign(new Error('retries exceeded', { cause: tooLarge }), { name: 'KafkaJSNumberOfRetriesExceeded', retriable: false });
    expect(isKafkajsRetriable(exceeded)).toBe(false);
    expect(toKafkaError(exceeded, 'produce failed').details).toEqual({ kafkaErrorType: 'MESSAGE_TOO_LARGE' });
    expect(isKafkajsRetriable('not an error')).toBe(false);
  });
});
