import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { KafkaHarnessError } from './harness-error';

const run = promisify(execFile);

export interface TestTls {
  /** PEM of the throw-away CA: what a client trusts (kafkajs: `ssl: { ca: [caPem] }`). */
  caPem: string;
  caFile: string;
  /** Broker private key (unencrypted PKCS#8) followed by its certificate: a Kafka PEM keystore (KIP-651). */
  keystoreFile: string;
}

/**
 * A CA and a broker certificate for 127.0.0.1/localhost, made with the openssl CLI at test time
 * (valid 2 days, nothing is kept). Kafka reads PEM keystores directly, so no keytool/JKS step.
 */
export async function createTestTls(dir: string): Promise<TestTls> {
  const f = (name: string): string => path.join(dir, name);
  const openssl = async (args: string[]): Promise<void> => {
    try {
      await run('openssl', args, { cwd: dir });
    } catch (err) {
      throw new KafkaHarnessError(`openssl ${args[0]} failed (is openssl installed?)`, { cause: err });
    }
  };
  await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '2', '-subj', '/CN=kafka-harness-test-ca']);
  await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('broker.key'), '-out', f('broker.csr'), '-subj', '/CN=127.0.0.1']);
  writeFileSync(f('broker-ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await openssl([
    'x509', '-req', '-in', f('broker.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'),
    '-set_serial', `0x${randomBytes(8).toString('hex')}`, '-days', '2', '-extfile', f('broker-ext.cnf'), '-out', f('broker.pem'),
  ]);
  const keystoreFile = f('broker-keystore.pem');
  writeFileSync(keystoreFile, readFileSync(f('broker.key'), 'utf8') + readFileSync(f('broker.pem'), 'utf8'));
  return { caPem: readFileSync(f('ca.pem'), 'utf8'), caFile: f('ca.pem'), keystoreFile };
}
