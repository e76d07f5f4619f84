// Collects model errors so a user sees every problem in one pass (Cube's ErrorReporter).
import type { RawDefinition } from './raw-types.ts';
import type { ModelError } from './types.ts';

export class ErrorReporter {
  readonly errors: ModelError[] = [];

  add(error: ModelError): void { this.errors.push(error); }

  /**
   * An error on a definition. `at` locates it in the file (['measures','count']); `path` is the
   * member path shown to the user (`orders.measures.count`), defaulting to cube + at.
   */
  report(def: RawDefinition, at: readonly string[], message: string, path?: string): void {
    this.errors.push({
      file: def.file,
      line: def.lineOf(at),
      path: path ?? [def.name, ...at].join('.'),
      message,
    });
  }

  /** Runs fn, turning a thrown Error into a reported one; returns undefined on error. */
  guard<T>(def: RawDefinition, at: readonly string[], fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      this.report(def, at, (e as Error).message);
      return undefined;
    }
  }
}
