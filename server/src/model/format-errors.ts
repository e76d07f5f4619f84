// One readable block for a list of model errors, in the spirit of Cube's "Compile errors"
// message, for logs and the API's error body (no stack traces, only model locations).
import type { ModelError } from './types.ts';

export function formatModelErrors(errors: readonly ModelError[]): string {
  const lines = errors.map((e) => {
    const at = e.line > 0 ? `${e.file}:${e.line}` : e.file;
    return `${at}${e.path ? ` ${e.path}` : ''}: ${e.message}`;
  });
  return `Compile errors:\n${lines.join('\n')}`;
}
