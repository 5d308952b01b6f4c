import { ValidationError, type FieldIssue } from './errors.js';
import type { FieldRule, FieldValues, IntRule, TextRule } from './fields.js';

/**
 * Collects every problem of one input before anything is written, so a bad request names all its
 * bad fields at once (REST turns the paths into FastAPI-style `loc`).
 */
export class InputCheck {
  readonly issues: FieldIssue[] = [];

  constructor(private readonly root: string[] = ['input']) {}

  private add(field: string | (string | number)[], message: string, type: string): void {
    this.issues.push({ path: [...this.root, ...(Array.isArray(field) ? field : [field])], message, type });
  }

  fail(field: string | (string | number)[], message: string, type = 'value_error'): this {
    this.add(field, message, type);
    return this;
  }

  /** A required-on-create / optional-on-update text: trimmed, with the rule's length range. Null is rejected. */
  text(field: string, value: string | null | undefined, rule: TextRule, required = false): string | undefined {
    if (value === undefined) {
      if (required) this.add(field, 'field required', 'missing');
      return undefined;
    }
    if (value === null) {
      this.add(field, 'must not be null', 'type_error.none.not_allowed');
      return undefined;
    }
    const min = rule.minLength ?? 0;
    const max = rule.maxLength;
    const trimmed = value.trim();
    if (trimmed.length < min) this.add(field, min === 1 ? 'must not be empty' : `must be at least ${min} characters`, 'string_too_short');
    else if (trimmed.length > max) this.add(field, `must be at most ${max} characters`, 'string_too_long');
    return trimmed;
  }

  /** Optional text that may be cleared with null (stored as ''). */
  optionalText(field: string, value: string | null | undefined, rule: TextRule): string | undefined {
    if (value === undefined) return undefined;
    if (value === null) return '';
    if (value.length > rule.maxLength) this.add(field, `must be at most ${rule.maxLength} characters`, 'string_too_long');
    return value.trim();
  }

  /** A value that must fit the rule's length range and pattern, reported with the pattern's one message. */
  matches(field: string, value: string, rule: TextRule): void {
    const pattern = rule.pattern;
    if (!pattern) throw new Error(`matches(${field}): the rule has no pattern`);
    if (value.length < (rule.minLength ?? 0) || value.length > rule.maxLength || !pattern.regex.test(value)) {
      this.add(field, pattern.message, pattern.type ?? 'value_error');
    }
  }

  /** An integer within the rule's range. */
  integer(field: string | (string | number)[], value: number, rule: IntRule, type = 'value_error'): void {
    if (!Number.isInteger(value) || value < rule.minimum || value > rule.maximum) {
      this.add(field, `must be an integer between ${rule.minimum} and ${rule.maximum}`, type);
    }
  }

  notNull<T>(field: string, value: T | null | undefined): T | undefined {
    if (value === null) {
      this.add(field, 'must not be null', 'type_error.none.not_allowed');
      return undefined;
    }
    return value;
  }

  absoluteUrl(field: string | (string | number)[], value: string): void {
    let ok: boolean;
    try {
      const parsed = new URL(value);
      ok = /^[a-z][a-z0-9+.-]*:$/.test(parsed.protocol) && (parsed.host !== '' || !/^https?:$/.test(parsed.protocol));
    } catch {
      ok = false;
    }
    if (!ok) this.add(field, `must be an absolute URL, got "${value}"`, 'value_error.url');
  }

  /**
   * Checks every declared field given in `input` (and, on create, the required ones) by its rule, and
   * returns the values to store: texts trimmed, a nullable text's null as its default, on create the
   * defaults of the fields not given. Null is refused where the rule does not allow it.
   */
  declared<F extends Record<string, FieldRule>>(fields: F, input: { [K in keyof F]?: unknown }, creating: boolean): FieldValues<F> {
    const values: Record<string, unknown> = {};
    for (const [name, rule] of Object.entries(fields)) {
      if (rule.only && rule.only !== (creating ? 'create' : 'update')) continue;
      const given = input[name as keyof F];
      let value: unknown;
      if (given === null && rule.nullable === 'create') {
        // On create null means "not given" (the service derives the value); on update it is refused.
        if (!creating) this.add(name, 'must not be null', 'type_error.none.not_allowed');
      } else if (rule.kind === 'text' && rule.pattern?.whole && given !== undefined && given !== null) {
        this.matches(name, given as string, rule);
        value = given;
      } else if (rule.kind === 'text' && rule.nullable === true) {
        value = this.optionalText(name, given as string | null | undefined, rule);
        if (value === '' && given === null && rule.default !== undefined) value = rule.default;
      } else if (rule.kind === 'text' && rule.pattern && given !== undefined && given !== null) {
        // A pattern is checked on the trimmed value once its length is right (as the email check does).
        value = this.text(name, given as string, rule, creating && rule.required);
        if (value !== '' && !rule.pattern.regex.test(value as string)) this.add(name, rule.pattern.message, rule.pattern.type ?? 'value_error');
      } else if (rule.kind === 'text') {
        value = this.text(name, given as string | null | undefined, rule, creating && rule.required);
      } else {
        if (given === undefined && creating && rule.required) this.add(name, 'field required', 'missing');
        value = rule.nullable === true ? given : this.notNull(name, given);
        if (rule.kind === 'int' && typeof value === 'number') this.integer(name, value, rule);
      }
      if (value === undefined && creating) value = rule.default;
      if (value !== undefined) values[name] = value;
    }
    return values as FieldValues<F>;
  }

  done(): void {
    if (this.issues.length) throw new ValidationError(this.issues);
  }
}
