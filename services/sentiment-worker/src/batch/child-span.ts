import type { BatchSpan } from '@sentiment/observability';

/** Runs `work` inside a child span of `span`, when there is one. */
export async function inChild<T>(span: BatchSpan | undefined, name: string, attributes: Record<string, string | number | boolean>, work: () => Promise<T>): Promise<T> {
  const child = span?.child(name, attributes);
  try {
    const value = await work();
    child?.end();
    return value;
  } catch (err) {
    child?.end(err);
    throw err;
  }
}
