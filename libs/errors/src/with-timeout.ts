/**
 * Settles like `promise`, or rejects with `onTimeout()` (default: an Error naming the limit)
 * after `ms`. A deadline is how a pending call becomes a failure, hence its place beside the
 * errors. The timer never outlives the promise, and never by itself keeps the process up: the
 * answer may be abandoned (client gone, server closing).
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error = () => new Error(`timed out after ${ms} ms`)): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    timer.unref();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
