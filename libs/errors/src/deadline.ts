/** A point in time that several awaits share: each gets only what is left of it. */
export interface Deadline {
  /** Resolves with the promise's value, or 'timeout' once the deadline passes (the promise keeps running). */
  race<T>(promise: Promise<T>): Promise<T | 'timeout'>;
  remainingMs(): number;
  clear(): void;
}

export function deadline(timeoutMs: number): Deadline {
  const at = Date.now() + timeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
    timer.unref?.();
  });
  return {
    race: <T>(promise: Promise<T>) => Promise.race([promise, expired]),
    remainingMs: () => Math.max(0, at - Date.now()),
    clear: () => clearTimeout(timer),
  };
}
