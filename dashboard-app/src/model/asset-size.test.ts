// The initial-load budget counts exactly what index.html makes the browser fetch first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialAssets } from './asset-size.ts';

test('entry script, modulepreloads and stylesheets; not icons or lazy chunks', () => {
  const html = `<link rel="icon" href="data:image/svg+xml,x"><script type="module" crossorigin src="/assets/index-a.js"></script>
    <link rel="modulepreload" crossorigin href="/assets/vendor-b.js"><link rel="stylesheet" crossorigin href="/assets/index-c.css">`;
  assert.deepEqual(initialAssets(html), ['/assets/index-a.js', '/assets/vendor-b.js', '/assets/index-c.css']);
});
