import { z } from 'zod';
import { ConfigError } from '@sentiment/errors';

/**
 * Parses environment variables with a zod object schema whose keys ARE the variable names.
 * Every problem is reported at once, naming the variable, what it got and what is allowed.
 */
export function parseEnv<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const raw = env[key];
    // An empty variable means "not set": compose files often pass VAR= for optional settings.
    input[key] = raw === undefined || raw.trim() === '' ? undefined : raw.trim();
  }
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '(env)');
    const got = input[name];
    const shown = got === undefined ? 'unset' : isSecretName(name) ? '(hidden)' : JSON.stringify(got);
    return `${name}: ${issue.message} (got ${shown})`;
  });
  throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`, {
    details: { variables: parsed.error.issues.map((i) => String(i.path[0])) },
  });
}

export function isSecretName(name: string): boolean {
  return /PASSWORD|SECRET|TOKEN|KEY$|_KEY_|CREDENTIAL/i.test(name);
}

/* Field builders: each produces a schema whose error message says what is allowed. */

/** An integer from `min` to `max`, or undefined when the variable is unset. */
function integerOrUnset(options: { min?: number; max?: number }) {
  const min = options.min ?? Number.MIN_SAFE_INTEGER;
  const max = options.max ?? Number.MAX_SAFE_INTEGER;
  return z
    .string()
    .optional()
    .transform((value, ctx): number | undefined => {
      if (value === undefined) return undefined;
      const n = Number(value);
      if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be an integer from ${min} to ${max}` });
        return z.NEVER;
      }
      return n;
    });
}

export function intVar(options: { default: number; min?: number; max?: number }) {
  return integerOrUnset(options).transform((n) => n ?? options.default);
}

/** An integer whose default is derived from other settings after parsing: undefined when unset. */
export function optionalIntVar(options: { min?: number; max?: number }) {
  return integerOrUnset(options);
}

export function numberVar(options: { default: number; min?: number; max?: number }) {
  const min = options.min ?? -Infinity;
  const max = options.max ?? Infinity;
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return options.default;
      const n = Number(value);
      if (!Number.isFinite(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be a number from ${min} to ${max}` });
        return z.NEVER;
      }
      return n;
    });
}

export function boolVar(options: { default: boolean }) {
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return options.default;
      const v = value.toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(v)) return true;
      if (['0', 'false', 'no', 'off'].includes(v)) return false;
      ctx.addIssue({ code: 'custom', message: 'must be one of true, false, 1, 0, yes, no, on, off' });
      return z.NEVER;
    });
}

export function enumVar<const T extends readonly [string, ...string[]]>(values: T, options: { default: T[number] }) {
  return z
    .string()
    .optional()
    .transform((value, ctx): T[number] => {
      if (value === undefined) return options.default;
      if ((values as readonly string[]).includes(value)) return value as T[number];
      ctx.addIssue({ code: 'custom', message: `must be one of ${values.join(', ')}` });
      return z.NEVER;
    });
}

export function stringVar(options: { default: string; pattern?: RegExp; description?: string }) {
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      const v = value ?? options.default;
      if (options.pattern && !options.pattern.test(v)) {
        ctx.addIssue({ code: 'custom', message: `must be ${options.description ?? `matching ${options.pattern}`}` });
        return z.NEVER;
      }
      return v;
    });
}

export function optionalStringVar() {
  return z.string().optional();
}

/** Comma-separated `host:port` list. */
export function hostListVar(options: { default: string }) {
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      const list = (value ?? options.default)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const bad = list.filter((hp) => !/^[A-Za-z0-9._\-[\]:]+:\d{1,5}$/.test(hp));
      if (list.length === 0 || bad.length > 0) {
        ctx.addIssue({ code: 'custom', message: `must be a comma-separated list of host:port (bad: ${bad.join(', ') || 'empty'})` });
        return z.NEVER;
      }
      return list;
    });
}
