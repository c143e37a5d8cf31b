import { z } from 'zod';

/** A whole-number setting searched from `min` to `max` (both included) in `step`s; `log` samples on a log scale. */
export interface IntParam {
  readonly type: 'int';
  readonly min: number;
  readonly max: number;
  readonly step?: number;
  readonly log?: boolean;
}

/**
 * A real-valued setting in [min, max]; `step` puts it on a grid from `min`, `log` samples on a log scale (min > 0).
 * A grid search without `step` tries `gridPoints` values (default 5), evenly spread.
 */
export interface FloatParam {
  readonly type: 'float';
  readonly min: number;
  readonly max: number;
  readonly step?: number;
  readonly log?: boolean;
  readonly gridPoints?: number;
}

/** One of a few values (a moving average's kind, a timeframe, on or off). */
export interface ChoiceParam {
  readonly type: 'choice';
  readonly values: readonly (string | number | boolean)[];
}

export type ParamSpec = IntParam | FloatParam | ChoiceParam;
export type ParamValue = string | number | boolean;
export type ParamValues = Readonly<Record<string, ParamValue>>;

/**
 * The settings an optimiser may vary, declared next to the config schema they belong to: each key a config key.
 * `conditions` are comparisons every tried combination must meet, written `fast < slow` or `threshold >= 0.5`
 * (operators `<`, `<=`, `>`, `>=`, `==`, `!=`; the right side a setting or a number).
 */
export interface SearchSpace<Key extends string = string> {
  readonly params: Readonly<Partial<Record<Key, ParamSpec>>>;
  readonly conditions?: readonly string[];
}

export type ConditionOperator = '<' | '<=' | '>' | '>=' | '==' | '!=';

/** A condition read from its text. */
export interface Condition {
  readonly text: string;
  readonly left: string;
  readonly operator: ConditionOperator;
  readonly right: { readonly param: string } | { readonly value: number };
}

const CONDITION = /^\s*([A-Za-z_][\w.:-]*)\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?|[A-Za-z_][\w.:-]*)\s*$/;

/** Reads `fast < slow`; undefined for text that is not one comparison. */
export function parseCondition(text: string): Condition | undefined {
  const m = CONDITION.exec(text);
  if (m === null) return undefined;
  const right = /^-?\d/.test(m[3]!) ? { value: Number(m[3]) } : { param: m[3]! };
  return { text: text.trim(), left: m[1]!, operator: m[2] as ConditionOperator, right };
}

/** Whether `values` meet a condition; a setting missing from `values` makes it false. */
export function meetsCondition(condition: Condition, values: ParamValues): boolean {
  const a = values[condition.left];
  const b = 'param' in condition.right ? values[condition.right.param] : condition.right.value;
  if (a === undefined || b === undefined) return false;
  switch (condition.operator) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '==':
      return a === b;
    case '!=':
      return a !== b;
  }
}

const finite = z.number().refine(Number.isFinite, { message: 'must be a finite number' });

const numeric = <T extends 'int' | 'float'>(type: T) =>
  z
    .object({
      type: z.literal(type),
      min: type === 'int' ? z.number().int() : finite,
      max: type === 'int' ? z.number().int() : finite,
      step: (type === 'int' ? z.number().int() : finite).positive().optional(),
      log: z.boolean().optional(),
      ...(type === 'float' ? { gridPoints: z.number().int().min(2).max(1_000).optional() } : {}),
    })
    .strict()
    .superRefine((p, ctx) => {
      if (p.max < p.min) ctx.addIssue({ code: 'custom', path: ['max'], message: `max (${p.max}) is below min (${p.min})` });
      if (p.log === true && p.min <= 0) ctx.addIssue({ code: 'custom', path: ['min'], message: `a log scale needs min above 0, got ${p.min}` });
      if (p.log === true && p.step !== undefined) ctx.addIssue({ code: 'custom', path: ['step'], message: 'a log scale has no step; remove step or log' });
    });

/** Checks one setting's range. */
export const paramSpecSchema = z.discriminatedUnion('type', [
  numeric('int'),
  numeric('float'),
  z
    .object({ type: z.literal('choice'), values: z.array(z.union([z.string(), z.number(), z.boolean()])).min(1) })
    .strict(),
]);

/** Checks a search space's shape: ranges, and conditions that name its own settings. */
export const searchSpaceSchema = z
  .object({ params: z.record(z.string().min(1), paramSpecSchema), conditions: z.array(z.string()).optional() })
  .strict()
  .superRefine((space, ctx) => {
    space.conditions?.forEach((text, i) => {
      const condition = parseCondition(text);
      if (condition === undefined) {
        ctx.addIssue({ code: 'custom', path: ['conditions', i], message: `"${text}" is not a comparison; write it like "fast < slow" or "threshold >= 0.5"` });
        return;
      }
      for (const name of [condition.left, 'param' in condition.right ? condition.right.param : undefined]) {
        if (name !== undefined && space.params[name] === undefined) ctx.addIssue({ code: 'custom', path: ['conditions', i], message: `"${text}" names ${name}, which is not one of the searched settings (${Object.keys(space.params).join(', ') || 'none'})` });
      }
    });
  });
