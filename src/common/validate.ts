import { ValidationError, type FieldIssue } from './errors.js';

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

  /** A required-on-create / optional-on-update text: trimmed, with a length range. Null is rejected. */
  text(field: string, value: string | null | undefined, min: number, max: number, required = false): string | undefined {
    if (value === undefined) {
      if (required) this.add(field, 'field required', 'missing');
      return undefined;
    }
    if (value === null) {
      this.add(field, 'must not be null', 'type_error.none.not_allowed');
      return undefined;
    }
    const trimmed = value.trim();
    if (trimmed.length < min) this.add(field, min === 1 ? 'must not be empty' : `must be at least ${min} characters`, 'string_too_short');
    else if (trimmed.length > max) this.add(field, `must be at most ${max} characters`, 'string_too_long');
    return trimmed;
  }

  /** Optional text that may be cleared with null (stored as ''). */
  optionalText(field: string, value: string | null | undefined, max: number): string | undefined {
    if (value === undefined) return undefined;
    if (value === null) return '';
    if (value.length > max) this.add(field, `must be at most ${max} characters`, 'string_too_long');
    return value.trim();
  }

  notNull<T>(field: string, value: T | null | undefined): T | undefined {
    if (value === null) {
      this.add(field, 'must not be null', 'type_error.none.not_allowed');
      return undefined;
    }
    return value;
  }

  email(field: string, value: string | null | undefined, required: boolean): string | undefined {
    const email = this.text(field, value, 1, 320, required);
    if (email !== undefined && email !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
      this.add(field, 'must be a valid email address', 'value_error.email');
    }
    return email;
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

  done(): void {
    if (this.issues.length) throw new ValidationError(this.issues);
  }
}
