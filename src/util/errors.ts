/**
 * Typed errors of ptm-conformity. Every error the library throws on bad input or failed work
 * derives from {@link PtmcError} and carries what a user needs to fix it: the file, the field
 * (a JSON path, a column, a tensor name), the clause concerned and a remedy. The CLI maps the
 * classes to exit codes in one place (`src/cli/main.ts`): {@link InputError} → 2, others → 1.
 *
 * @example
 * throw new InputError('input shape mismatch', { file: 'case.json', field: '/input/shape',
 *   remedy: 'declare the shape the model expects, e.g. [1,1,64,64]' });
 */
export interface ErrorContext {
  /** File the problem is in (as the user named it). */
  file?: string;
  /** Field inside the file: a JSON path (`/datasets/test/manifest`), column or tensor name. */
  field?: string;
  /** Clause of the standard concerned, e.g. `6.3.6`. */
  clause?: string;
  /** What to do about it. */
  remedy?: string;
  /** Underlying error. */
  cause?: unknown;
}

/** Base class of every error this project throws on purpose. */
export class PtmcError extends Error {
  readonly file?: string;
  readonly field?: string;
  readonly clause?: string;
  readonly remedy?: string;
  /** Process exit code the CLI uses for this error. */
  readonly exitCode: number = 1;

  constructor(message: string, ctx: ErrorContext = {}) {
    super(message, ctx.cause !== undefined ? { cause: ctx.cause } : undefined);
    this.name = new.target.name;
    this.file = ctx.file;
    this.field = ctx.field;
    this.clause = ctx.clause;
    this.remedy = ctx.remedy;
  }

  /** One readable line (or a few): message, where, and the fix. */
  describe(): string {
    const where = [this.file, this.field].filter(Boolean).join(' at ');
    let s = `${this.name}: ${this.message}`;
    if (where) s += `\n  in: ${where}`;
    if (this.clause) s += `\n  clause: ${this.clause}`;
    if (this.remedy) s += `\n  fix: ${this.remedy}`;
    return s;
  }
}

/** Bad input from the user: files, arguments, parameters, schemas (exit 2). */
export class InputError extends PtmcError {
  override readonly exitCode: number = 2;
}

/** Bad command-line usage (exit 2). */
export class UsageError extends InputError {}

/** A JSON document failed schema validation (exit 2). */
export class SchemaError extends InputError {
  /** Every violation as `{ path, message }`. */
  readonly violations: { path: string; message: string }[];
  constructor(message: string, violations: { path: string; message: string }[], ctx: ErrorContext = {}) {
    super(message, ctx);
    this.violations = violations;
  }
}

/** A model could not be loaded or run (exit 1 unless the file itself is invalid). */
export class ModelError extends PtmcError {}

/** Notebook execution failed: a cell error, a timeout, or a dead kernel (exit 1). */
export class ExecutionError extends PtmcError {}

/** An evaluation could not be carried out (exit 1). */
export class EvaluationError extends PtmcError {}
