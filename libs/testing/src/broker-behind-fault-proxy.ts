import { freePorts } from './free-port';
import { startKafkaBroker, type KafkaBroker } from './kafka-broker';
import { KafkaFaultProxy } from './kafka-fault-proxy';

/** A broker of a test's own with a fault proxy in front of it. */
export interface BrokerBehindFaultProxy {
  broker: KafkaBroker;
  proxy: KafkaFaultProxy;
  /** The proxy's address: what clients must be given. */
  bootstrap: string;
  /** Closes the proxy, then destroys the broker. */
  close(): Promise<void>;
}

/**
 * Starts a broker that advertises the proxy's address, so every client connection (the group and
 * transaction coordinators' included, which clients find through metadata) goes through the proxy.
 */
export async function startBrokerBehindFaultProxy(): Promise<BrokerBehindFaultProxy> {
  const [port, controllerPort, proxyPort] = (await freePorts(3)) as [number, number, number];
  const proxy = await KafkaFaultProxy.start({ host: '127.0.0.1', port }, proxyPort);
  try {
    const broker = await startKafkaBroker({ port, controllerPort, properties: { 'advertised.listeners': `PLAINTEXT://127.0.0.1:${proxyPort}` } });
    return {
      broker,
      proxy,
      bootstrap: `127.0.0.1:${proxyPort}`,
      close: async () => {
        await proxy.close();
        await broker.destroy();
      },
    };
  } catch (err) {
    await proxy.close();
    throw err;
  }
}
