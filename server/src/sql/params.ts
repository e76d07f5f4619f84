// Collects bound values while SQL is rendered out of order (sub-queries, WHERE before SELECT),
// then numbers placeholders in textual order at the end, so `?` dialects get params in the
// order they appear and a value used twice is simply bound twice.

const TOKEN = /\u0001(\d+)\u0001/g;

export class Params {
  private readonly values: unknown[] = [];

  /** Returns an opaque token standing for a bound value; resolved by finalize(). */
  add(value: unknown): string {
    this.values.push(value);
    return `\u0001${this.values.length - 1}\u0001`;
  }

  finalize(sql: string, placeholder: (index: number) => string): { sql: string; params: unknown[] } {
    const params: unknown[] = [];
    const out = sql.replace(TOKEN, (_, i: string) => {
      params.push(this.values[Number(i)]);
      return placeholder(params.length);
    });
    return { sql: out, params };
  }
}
