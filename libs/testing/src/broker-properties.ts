import { kafkaMajor } from './kafka-versions';

export type ScramMechanism = 'scram-sha-256' | 'scram-sha-512';

export interface BrokerPropertiesInput {
  version: string;
  nodeId: number;
  host: string;
  port: number;
  controllerPort: number;
  /** Port of the extra SASL_PLAINTEXT (SCRAM) listener, if any. */
  saslPort?: number;
  /** Extra SSL listener (server authentication only): its port and PEM keystore. */
  ssl?: { port: number; keystoreFile: string };
  logDir: string;
  autoCreateTopics: boolean;
  /**
   * Every controller of a multi-node cluster (this node included). Absent: a single-node
   * cluster whose only voter is this node.
   */
  quorumVoters?: ReadonlyArray<{ nodeId: number; controllerPort: number }>;
  /** Extra or overriding broker settings. */
  overrides?: Record<string, string>;
}

/** min.insync.replicas of a cluster of `nodes`: 2 once there are at least 2 replicas (one may fail, no acknowledged write is lost). */
export function clusterMinInsyncReplicas(nodes: number): number {
  return Math.min(2, nodes);
}

/**
 * server.properties of one KRaft node that is broker and controller in one process, tuned for
 * tests: no initial rebalance delay, small internal topics. Alone (no `quorumVoters`): replication
 * factor 1 everywhere. In a cluster of N voters: internal topics and new topics get N replicas and
 * min.insync.replicas 2, as a replicated production cluster would.
 */
export function brokerProperties(input: BrokerPropertiesInput): Record<string, string> {
  const { host, port, controllerPort, saslPort, ssl } = input;
  const voters = input.quorumVoters ?? [{ nodeId: input.nodeId, controllerPort }];
  const replicas = String(voters.length);
  const minIsr = String(clusterMinInsyncReplicas(voters.length));
  const listeners = [`PLAINTEXT://${host}:${port}`, `CONTROLLER://${host}:${controllerPort}`];
  const advertised = [`PLAINTEXT://${host}:${port}`];
  if (saslPort !== undefined) {
    listeners.push(`SASL_PLAINTEXT://${host}:${saslPort}`);
    advertised.push(`SASL_PLAINTEXT://${host}:${saslPort}`);
  }
  if (ssl !== undefined) {
    listeners.push(`SSL://${host}:${ssl.port}`);
    advertised.push(`SSL://${host}:${ssl.port}`);
  }
  const props: Record<string, string> = {
    'process.roles': 'broker,controller',
    'node.id': String(input.nodeId),
    // A static voter set works from 3.3 to 4.x alike (4.x would also accept a dynamic quorum).
    'controller.quorum.voters': voters.map((v) => `${v.nodeId}@${host}:${v.controllerPort}`).join(','),
    'controller.listener.names': 'CONTROLLER',
    listeners: listeners.join(','),
    'advertised.listeners': advertised.join(','),
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL',
    'log.dirs': input.logDir,
    'num.partitions': '1',
    'default.replication.factor': replicas,
    'min.insync.replicas': minIsr,
    'auto.create.topics.enable': String(input.autoCreateTopics),
    'offsets.topic.replication.factor': replicas,
    // Fewer internal partitions: the first consumer group / transaction creates them, 50 each by default.
    'offsets.topic.num.partitions': '5',
    'transaction.state.log.replication.factor': replicas,
    'transaction.state.log.min.isr': minIsr,
    'transaction.state.log.num.partitions': '5',
    'group.initial.rebalance.delay.ms': '0',
    // Tests delete topics; make that immediate on disk too.
    'log.segment.delete.delay.ms': '1000',
  };
  if (kafkaMajor(input.version) >= 4) {
    props['share.coordinator.state.topic.replication.factor'] = replicas;
    props['share.coordinator.state.topic.min.isr'] = minIsr;
  }
  if (saslPort !== undefined) {
    props['sasl.enabled.mechanisms'] = 'SCRAM-SHA-256,SCRAM-SHA-512';
    // Server side of SCRAM needs a login module but no credentials: those live in the KRaft metadata.
    for (const m of ['scram-sha-256', 'scram-sha-512']) {
      props[`listener.name.sasl_plaintext.${m}.sasl.jaas.config`] =
        'org.apache.kafka.common.security.scram.ScramLoginModule required;';
    }
  }
  if (ssl !== undefined) {
    // PEM keystore (KIP-651): unencrypted key + certificate in one file, hence no ssl.key.password.
    props['listener.name.ssl.ssl.keystore.type'] = 'PEM';
    props['listener.name.ssl.ssl.keystore.location'] = ssl.keystoreFile;
    props['listener.name.ssl.ssl.client.auth'] = 'none';
  }
  return { ...props, ...input.overrides };
}

/** java.util.Properties text. Escapes what Properties.load would otherwise misread. */
export function formatProperties(props: Record<string, string>): string {
  const escape = (s: string, isKey: boolean): string => {
    let out = s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
    if (isKey) out = out.replace(/([=: #!])/g, '\\$1');
    return out;
  };
  return (
    Object.entries(props)
      .map(([k, v]) => `${escape(k, true)}=${escape(v, false)}`)
      .join('\n') + '\n'
  );
}

/** `--add-scram` argument of kafka-storage format (KIP-900), e.g. `SCRAM-SHA-256=[name=alice,password=secret]`. */
export function scramFormatArgument(mechanism: ScramMechanism, username: string, password: string): string {
  // The storage tool splits on ',' and ']' and strips quotes: refuse what it would misparse.
  const safe = /^[A-Za-z0-9._~@+-]+$/;
  if (!safe.test(username) || !safe.test(password)) {
    throw new TypeError('SCRAM username and password may only use letters, digits and . _ ~ @ + -');
  }
  return `${mechanism.toUpperCase()}=[name=${username},password=${password}]`;
}
