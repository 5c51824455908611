// Test tooling: a real local Kafka broker and helpers to feed and read topics. Never used by production code.
export { startKafkaBroker, type KafkaBroker, type StartKafkaBrokerOptions, type ScramCredentials } from './kafka-broker';
export { type ScramMechanism, clusterMinInsyncReplicas } from './broker-properties';
export { startKafkaCluster, CLUSTER_NODE_HEAP, type KafkaCluster, type StartKafkaClusterOptions, type PartitionState } from './kafka-cluster';
export { readControllerQuorum, quorumStateFile, type ControllerQuorum } from './controller-quorum';
export { ensureKafkaJars, kafkaJarsPresent, kafkaLibsDir, kafkaClasspath } from './kafka-jars';
export { runKafkaJavaTool, type JavaToolOptions, type JavaToolResult } from './kafka-java-tool';
export {
  DEFAULT_KAFKA_VERSION,
  NEWEST_VERIFIED_KAFKA_VERSION,
  kafkaVersionFromEnv,
  kafkaMajor,
  consoleProducerClass,
  consoleConsumerClass,
  consoleConsumerPropertyFlag,
} from './kafka-versions';
export { createTopics, deleteTopics, type TopicSpec } from './topics';
export { uniqueName } from './unique-name';
export { waitFor } from './wait-for';
export { produceJson, produceRaw, type RawMessage, type JsonMessage, type ProducedRef, type ProduceOptions } from './produce';
export { readTopicToEnd, headerText, type ReadMessage, type ReadTopicOptions } from './read-topic';
export {
  Ledger,
  resultSource,
  deadLetterSource,
  describeLedgerReport,
  type LedgerReport,
  type SourceRef,
  type OutcomeKind,
} from './ledger';
export { ledgerFromTopics, type LedgerTopics } from './ledger-from-topics';
export { testBootstrap, testKafkaVersion } from './test-bootstrap';
export { testKafka, type TestClientOptions } from './test-kafka-client';
export { waitForBroker } from './broker-readiness';
export { freePorts } from './free-port';
export { createTestTls, type TestTls } from './self-signed-tls';
export { KafkaHarnessError } from './harness-error';
export { eachTable } from './each-table';
export { runKcat, type KcatResult } from './kcat';
export { OpenApiValidator, describeErrors, type OpenApiValidatorOptions } from './openapi-validator';
export { spawnWorkerProcess, workerMainJs, type WorkerProcess, type WorkerProcessOptions } from './worker-process';
export { KAFKA_CLIENTS, kafkaClientsUnderTest, type KafkaClientUnderTest } from './kafka-clients-under-test';
export { KafkaFaultProxy, KafkaApiKeys, type HeldRequests, type RecordedRequest } from './kafka-fault-proxy';
export { startBrokerBehindFaultProxy, type BrokerBehindFaultProxy } from './broker-behind-fault-proxy';
export { workerTopicEnv, type WorkerTopics } from './worker-topics';
export { parseRequestHeader, txnOffsetCommitMembership, type RequestHeader, type TxnOffsetCommitMembership } from './kafka-request-frames';
export { deadLetterRange } from './ledger';
export { compressedBombRecords, produceBombBatch, type BombCodec } from './decompression-bombs';
export { ensurePythonVenv, runPythonScript } from './python-venv';
export {
  startSchemaRegistry,
  ensureApicurio,
  DEFAULT_APICURIO_VERSION,
  type SchemaRegistryServer,
  type StartSchemaRegistryOptions,
} from './schema-registry';
export { ensureJavaHome, findJavaHome, javaHomeMajor } from './java-runtime';
export { ensureRegistryProducer, produceWithRegistrySerializer, consumeWithRegistryDeserializer, type RegistryProducerOptions, type RegistryProducedRef } from './registry-producer';
export { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './otlp/otlp-receiver';
export { startBasicAuthProxy, type BasicAuthProxy } from './basic-auth-proxy';
export { outcomeDigests, differingOutcomes, type OutcomeDigest } from './outcome-digest';
export { counterSeries } from './metric-counters';
export { consumerGroupTimingProperties } from './consumer-group-properties';
