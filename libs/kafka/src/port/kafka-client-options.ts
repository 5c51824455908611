import type { ConnectionOptions } from 'node:tls';

export type SaslMechanismName = 'plain' | 'scram-sha-256' | 'scram-sha-512';

export interface KafkaSaslOptions {
  mechanism: SaslMechanismName;
  username: string;
  password: string;
}

export interface KafkaTlsOptions {
  enabled: boolean;
  /** PEM contents (not paths): the caller reads files so errors name the variable. */
  ca?: string;
  cert?: string;
  key?: string;
  rejectUnauthorized?: boolean;
  servername?: string;
}

export interface KafkaClientOptions {
  clientId: string;
  brokers: string[];
  sasl?: KafkaSaslOptions;
  tls?: KafkaTlsOptions;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** kafkajs retry policy for connections and requests. */
  retry?: { retries: number; initialRetryTimeMs: number; maxRetryTimeMs: number };
}

export function toTlsConfig(tls: KafkaTlsOptions | undefined): ConnectionOptions | boolean | undefined {
  if (!tls?.enabled) return undefined;
  const out: ConnectionOptions = { rejectUnauthorized: tls.rejectUnauthorized ?? true };
  if (tls.ca) out.ca = [tls.ca];
  if (tls.cert) out.cert = tls.cert;
  if (tls.key) out.key = tls.key;
  if (tls.servername) out.servername = tls.servername;
  return out;
}

/** What may be logged about the connection: never the password. */
export function describeClientOptions(options: KafkaClientOptions): Record<string, unknown> {
  return {
    clientId: options.clientId,
    brokers: options.brokers,
    sasl: options.sasl ? { mechanism: options.sasl.mechanism, username: options.sasl.username } : undefined,
    tls: options.tls?.enabled ? { enabled: true, ca: Boolean(options.tls.ca), cert: Boolean(options.tls.cert) } : undefined,
  };
}
