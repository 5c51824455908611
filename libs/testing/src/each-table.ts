/**
 * Jest 29's `it.each` typings reject `as const` tables (readonly tuples); this hands jest the
 * same rows typed as mutable tuples, keeping each column's literal types.
 */
export function eachTable<T extends readonly unknown[]>(table: readonly T[]): { -readonly [K in keyof T]: T[K] }[] {
  return table as unknown as { -readonly [K in keyof T]: T[K] }[];
}
