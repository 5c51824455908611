import { describe, expect, it } from '@jest/globals';
import { brokerProperties, formatProperties, scramFormatArgument } from '../src/broker-properties';
import { consoleProducerClass, kafkaLogging } from '../src/kafka-versions';

describe('brokerProperties', () => {
  const base = {
    nodeId: 1,
    host: '127.0.0.1',
    port: 19092,
    controllerPort: 19093,
    logDir: '/tmp/k',
    autoCreateTopics: false,
  };

  it('when no SASL port is given, then only PLAINTEXT and CONTROLLER listeners exist', () => {
    const p = brokerProperties({ ...base, version: '3.9.1' });
    expect(p['listeners']).toBe('PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093');
    expect(p['advertised.listeners']).toBe('PLAINTEXT://127.0.0.1:19092');
    expect(p['controller.quorum.voters']).toBe('1@127.0.0.1:19093');
    expect(p['transaction.state.log.min.isr']).toBe('1');
    expect(p['sasl.enabled.mechanisms']).toBeUndefined();
    expect(p['share.coordinator.state.topic.replication.factor']).toBeUndefined();
  });

  it('when a SASL port is given on Kafka 4, then a SCRAM listener is advertised and 4.x internal topics use one replica', () => {
    const p = brokerProperties({ ...base, version: '4.4.0', saslPort: 19094, overrides: { 'message.max.bytes': '2000000' } });
    expect(p['advertised.listeners']).toBe('PLAINTEXT://127.0.0.1:19092,SASL_PLAINTEXT://127.0.0.1:19094');
    expect(p['listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config']).toContain('ScramLoginModule required');
    expect(p['share.coordinator.state.topic.replication.factor']).toBe('1');
    expect(p['message.max.bytes']).toBe('2000000');
  });
});

describe('brokerProperties with SSL', () => {
  it('when an SSL listener is asked for, then it is advertised with a PEM keystore and no client authentication', () => {
    const p = brokerProperties({
      nodeId: 1,
      host: '127.0.0.1',
      port: 1,
      controllerPort: 2,
      logDir: '/tmp/k',
      autoCreateTopics: false,
      version: '3.9.1',
      ssl: { port: 3, keystoreFile: '/tmp/k/ks.pem' },
    });
    expect(p['advertised.listeners']).toBe('PLAINTEXT://127.0.0.1:1,SSL://127.0.0.1:3');
    expect(p['listener.name.ssl.ssl.keystore.type']).toBe('PEM');
    expect(p['listener.name.ssl.ssl.keystore.location']).toBe('/tmp/k/ks.pem');
    expect(p['listener.name.ssl.ssl.client.auth']).toBe('none');
  });
});

describe('formatProperties', () => {
  it('when keys or values hold special characters, then they are escaped for java.util.Properties', () => {
    expect(formatProperties({ 'a:b': 'c\\d', e: 'line1\nline2' })).toBe('a\\:b=c\\\\d\ne=line1\\nline2\n');
  });
});

describe('scramFormatArgument', () => {
  it('when credentials are plain, then the kafka-storage --add-scram argument is built', () => {
    expect(scramFormatArgument('scram-sha-256', 'alice', 's3cret')).toBe('SCRAM-SHA-256=[name=alice,password=s3cret]');
  });

  it('when a password holds characters the storage tool splits on, then it is refused', () => {
    expect(() => scramFormatArgument('scram-sha-512', 'alice', 'a,b]')).toThrow(TypeError);
  });
});

describe('version differences', () => {
  it('when the version is 4.x, then log4j 2 and the tools-module console producer are used', () => {
    expect(kafkaLogging('3.9.1')).toBe('log4j1');
    expect(kafkaLogging('4.1.1')).toBe('log4j2');
    expect(consoleProducerClass('3.9.1')).toBe('kafka.tools.ConsoleProducer');
    expect(consoleProducerClass('4.4.0')).toBe('org.apache.kafka.tools.ConsoleProducer');
  });
});
