import { describe, expect, it } from '@jest/globals';
import { brokerProperties, clusterMinInsyncReplicas, formatProperties, scramFormatArgument } from '../src/broker-properties';
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

describe('brokerProperties in a cluster', () => {
  const voters = [
    { nodeId: 1, controllerPort: 29095 },
    { nodeId: 2, controllerPort: 29096 },
    { nodeId: 3, controllerPort: 29097 },
  ];

  it('when the node is one of three voters, then every voter is listed and replicated topics need two in-sync replicas', () => {
    const p = brokerProperties({ nodeId: 2, host: '127.0.0.1', port: 29093, controllerPort: 29096, logDir: '/tmp/k', autoCreateTopics: false, version: '3.9.1', quorumVoters: voters });
    expect(p['node.id']).toBe('2');
    expect(p['process.roles']).toBe('broker,controller');
    expect(p['controller.quorum.voters']).toBe('1@127.0.0.1:29095,2@127.0.0.1:29096,3@127.0.0.1:29097');
    expect(p['listeners']).toBe('PLAINTEXT://127.0.0.1:29093,CONTROLLER://127.0.0.1:29096');
    expect(p['default.replication.factor']).toBe('3');
    expect(p['min.insync.replicas']).toBe('2');
    expect(p['offsets.topic.replication.factor']).toBe('3');
    expect(p['transaction.state.log.replication.factor']).toBe('3');
    expect(p['transaction.state.log.min.isr']).toBe('2');
  });

  it('when a Kafka 4 node is one of three voters, then the share-group state topic is replicated too', () => {
    const p = brokerProperties({ nodeId: 1, host: '127.0.0.1', port: 1, controllerPort: 29095, logDir: '/tmp/k', autoCreateTopics: false, version: '4.4.0', quorumVoters: voters });
    expect(p['share.coordinator.state.topic.replication.factor']).toBe('3');
    expect(p['share.coordinator.state.topic.min.isr']).toBe('2');
  });

  it('when min.insync.replicas is derived from the cluster size, then it is 2 from two nodes on and 1 alone', () => {
    expect([1, 2, 3, 5].map(clusterMinInsyncReplicas)).toEqual([1, 2, 2, 2]);
  });
});
