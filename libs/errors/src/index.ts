export { ErrorCodes, type ErrorCode } from './error-codes';
export { AppError, type AppErrorOptions, isRetriable, describeError, errorMessage } from './app-error';
export { ConfigError, InvalidInputError, ModelError, KafkaError, HttpError } from './errors';
export { deadline, type Deadline } from './deadline';
