import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTp2Envelope } from '../protocol/parse-tp2.ts';
import { countPlainEvents, tp2EventCount } from './tp2-event-count.ts';

const schema = 'iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4';
const ev = (i: number) => ({ e: 'pv', p: 'web', tv: 'js-4.10.1', eid: `aaaaaaaa-0000-4000-8000-${String(i).padStart(12, '0')}`,
  url: 'https://site.example/a?b=c&d=%20', page: 'Quotes "and" \\ back\tslash, ünïcödé ✓ \u2028 \u0001', co: '{"schema":"x","data":[]}' });

/** What the tracker libraries send: JSON.stringify (JS, Node), spaced (Python), data first, `\/` (PHP). */
const plain = [
  JSON.stringify({ schema, data: [ev(1)] }),
  JSON.stringify({ schema, data: Array.from({ length: 25 }, (_, i) => ev(i)) }),
  JSON.stringify({ schema, data: [ev(1), {}, ev(2)] }, null, 2),
  JSON.stringify({ schema, data: [ev(1), ev(2)] }).replaceAll(',', ', ').replaceAll('":', '": '),
  JSON.stringify({ data: [ev(1), ev(2)], schema }),
  `\r\n\t ${JSON.stringify({ schema, data: [ev(1)] }).replaceAll('/', '\\/')} \n`,
  JSON.stringify({ schema: schema.replace('1-0-4', '1-0-12'), data: [{ e: 'pv', x: '\ud83d\ude00' }] }),
];

/** The answer of the JSON.parse check alone: the count, or the error it throws. */
function oracle(text: string, max: number): string {
  try { return String(checkTp2Envelope(text, max).length); } catch (error) { return `error: ${(error as Error).message}`; }
}

function answer(text: string, max: number): string {
  try { return String(tp2EventCount(text, max)); } catch (error) { return `error: ${(error as Error).message}`; }
}

test('tracker bodies are counted without JSON.parse, with the same count', () => {
  for (const text of plain) {
    assert.equal(countPlainEvents(text, 10_000), checkTp2Envelope(text, 10_000).length, text.slice(0, 80));
  }
});

test('other shapes and over-limit bodies get JSON.parse\'s answer, errors included', () => {
  const cases = [
    '', 'null', '[]', '{}', 'not json', '{"schema":1,"data":[]}', `{"schema":"${schema}"}`, `{"schema":"${schema}","data":[]}`,
    `{"schema":"${schema}","data":[{"e":"pv"}],"schema":"iglu:x"}`, `{"schema":"${schema}","data":[{"e":1}]}`,
    `{"sch\\u0065ma":"${schema}","data":[{"e":"pv"}]}`, `{"schema":"${schema}","data":[{"e":"pv"}]}x`, `{"schema":"${schema}","data":[{"e":"pv"},]}`,
    `{"schema":"${schema}","data":[{"e":"pv"}]}\u00a0`, `{"schema":"${schema}","data":[{"e":"a\u0000b"}]}`, `{"schema":"${schema}","data":[{"e":"\\x"}]}`,
    `{"schema":"${schema}","data":[{"e":"pv"}, {"e":"pp"}, {"e":"pp"}]}`,
  ];
  for (const text of cases) {
    assert.equal(answer(text, 2), oracle(text, 2), text);
    assert.equal(answer(text, 100), oracle(text, 100), text);
  }
  assert.equal(countPlainEvents(JSON.stringify({ schema, data: [ev(1), ev(2), ev(3)] }), 2), undefined, 'over the limit: JSON.parse words the 400');
});

test('randomly damaged tracker bodies get exactly the JSON.parse check\'s answer', () => {
  let seed = 42;
  const random = (n: number) => { seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31; return seed % n; };
  const alphabet = ['"', '\\', '{', '}', '[', ']', ',', ':', ' ', '\t', '\n', '\r', '0', 'a', 'e', 'u', '/', '\u0000', '\u001f', '\u007f', 'é', '\u2028', '\ufeff', '\\u00', 'null', '1.5e3'];
  let fast = 0;
  for (let round = 0; round < 20_000; round++) {
    let text = plain[random(plain.length)];
    for (let edits = 1 + random(3); edits > 0; edits--) {
      const at = random(text.length + 1);
      const kind = random(3);
      const piece = alphabet[random(alphabet.length)];
      text = kind === 0 ? text.slice(0, at) + piece + text.slice(at) : kind === 1 ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + piece + text.slice(at + 1);
    }
    const max = 1 + random(30);
    assert.equal(answer(text, max), oracle(text, max), JSON.stringify(text));
    if (countPlainEvents(text, max) !== undefined) fast += 1;
  }
  assert.ok(fast > 1000, `the plain path answered ${fast} of the damaged bodies that are still valid`);
});
