import type { SchemaType } from '@sentiment/events';

/*
 * What `GET /health` and `GET /ready` serve: the JSON Schemas are the contract (the OpenAPI
 * document embeds them) and the types are derived from them. The worker fills the reports in;
 * the HTTP layer only picks the status code: `fatal` is the one liveness state that answers 503.
 */

/**
 * - `ok`: everything works.
 * - `degraded`: the process is alive and serving, but e.g. the scorer fell back to VADER or
 *   Kafka is reconnecting. Still 200: restarting would not help.
 * - `fatal`: the process cannot recover on its own (e.g. the consumer crashed and will not
 *   restart). 503, so an orchestrator's liveness probe restarts it.
 */
export const HealthStatuses = ['ok', 'degraded', 'fatal'] as const;

/** The consumer as /health reports it (coarser than the Kafka library's own phases). */
export const ConsumerHealthStates = ['starting', 'running', 'rebalancing', 'stopping', 'stopped', 'crashed'] as const;

const isoTime = (description: string) => ({ type: 'string', description: `ISO 8601 time ${description}.` }) as const;

export const healthReportSchema = {
  type: 'object',
  required: ['status', 'scorer', 'kafka', 'uptime_s'],
  properties: {
    status: { type: 'string', enum: HealthStatuses },
    reasons: { type: 'array', items: { type: 'string' }, description: 'Why the status is `degraded` or `fatal`.' },
    service: { type: 'string' },
    version: { type: 'string' },
    processing_mode: { type: 'string', description: '`at-least-once` or `exactly-once` (PROCESSING_MODE).' },
    uptime_s: { type: 'number', minimum: 0 },
    scorer: {
      type: 'object',
      required: ['active', 'model_loaded'],
      properties: {
        active: { type: 'string', description: 'Scorer answering now, e.g. roberta-onnx or vader.' },
        model_loaded: { type: 'boolean' },
        degraded_reason: { type: 'string', description: 'Why the preferred scorer could not be started: `CODE: message`.' },
        breaker: {
          type: 'object',
          required: ['state'],
          properties: {
            state: { type: 'string', enum: ['closed', 'open', 'half_open'] },
            failures: { type: 'integer', minimum: 0, description: 'Consecutive failures counted by the breaker.' },
            retry_at: isoTime('an open breaker lets its next trial call through (only while open)'),
          },
        },
      },
    },
    kafka: {
      type: 'object',
      required: ['connected', 'consumer'],
      properties: {
        connected: { type: 'boolean', description: 'The consumer is connected and the broker answered it recently.' },
        consumer: {
          type: 'object',
          required: ['state'],
          properties: {
            state: { type: 'string', enum: ConsumerHealthStates },
            group_id: { type: 'string' },
            topics: { type: 'array', items: { type: 'string' } },
            assignment: {
              type: 'object',
              additionalProperties: { type: 'array', items: { type: 'integer', minimum: 0 } },
              description: 'Partitions assigned at the last join, per topic.',
            },
            crashes: { type: 'integer', minimum: 0 },
            restarts: { type: 'integer', minimum: 0 },
            last_batch_at: isoTime('of the last batch the consumer handled'),
            last_error: { type: 'object', description: 'The last consumer error (code, message, retriable, ...).' },
          },
        },
        producer: { type: 'object', required: ['connected'], properties: { connected: { type: 'boolean' } } },
      },
    },
  },
} as const;

export const readinessReportSchema = {
  type: 'object',
  required: ['ready', 'reasons'],
  additionalProperties: false,
  properties: {
    ready: { type: 'boolean' },
    reasons: { type: 'array', items: { type: 'string' }, description: 'Why not ready (empty when ready), e.g. `shutting down`.' },
  },
} as const;

export type HealthStatus = (typeof HealthStatuses)[number];
export type ConsumerHealthState = (typeof ConsumerHealthStates)[number];
export type HealthReport = SchemaType<typeof healthReportSchema>;
export type ReadinessReport = SchemaType<typeof readinessReportSchema>;
