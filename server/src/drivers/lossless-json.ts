// JSON.parse for engine responses that keeps every digit of an integer beyond 2^53 (a BIGINT
// sum, a hashed id): such integers come back as digit strings, which the BIGINT-as-string
// convention of types.ts wants anyway. Handed to presto-client as its `jsonParser`.

/** Numbers past Number.MAX_SAFE_INTEGER have 16 digits or more; without such a run, JSON.parse is exact. */
const LONG_DIGIT_RUN = /\d{16}/;
const NUMBER_CHAR = /[0-9.eE+-]/;

export const losslessJson = {
  parse(text: string): unknown {
    if (!LONG_DIGIT_RUN.test(text)) return JSON.parse(text);
    let out = '';
    let copied = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '"') {
        // Skip the string, escapes included: digits inside it are not numbers.
        for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
        continue;
      }
      if (c !== '-' && (c < '0' || c > '9')) continue;
      let end = i + 1;
      while (end < text.length && NUMBER_CHAR.test(text[end])) end++;
      const token = text.slice(i, end);
      if (/^-?\d{16,}$/.test(token) && !Number.isSafeInteger(Number(token))) {
        out += `${text.slice(copied, i)}"${token}"`;
        copied = end;
      }
      i = end - 1;
    }
    return JSON.parse(out + text.slice(copied));
  },
};
