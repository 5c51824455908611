import { describe, expect, it } from '@jest/globals';
import { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSSASLAuthenticationError } from 'kafkajs';
import { toKafkaError } from '../src/kafka-error-mapping';

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
});
