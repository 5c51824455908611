import { AppError, type AppErrorOptions } from '@sentiment/errors';

/** The local Kafka test harness could not do its job (jars missing, broker did not start, ...). Never retriable as such. */
export class KafkaHarnessError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super('TEST_HARNESS', message, { retriable: false, ...options });
  }
}
