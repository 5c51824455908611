const FUNCTIONS_AND_KEYWORDS = new Set([
  'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset',
  'sum', 'avg', 'min', 'max', 'count', 'stddev', 'stdvar', 'topk', 'bottomk', 'quantile', 'count_values', 'group',
  'inf', 'nan',
]);

/**
 * Metric names a PromQL expression selects. Small on purpose: removes strings, label matchers
 * `{...}`, range/offset brackets `[...]` and `by (...)`/`without (...)` label lists, then keeps
 * identifiers that are neither functions (followed by `(`) nor keywords.
 */
export function metricNamesInPromQl(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const m of stripped.matchAll(/([A-Za-z_:][A-Za-z0-9_:]*)(\s*\()?/g)) {
    const name = m[1] as string;
    if (m[2] || FUNCTIONS_AND_KEYWORDS.has(name) || /^\d/.test(name)) continue;
    names.add(name);
  }
  return [...names];
}
