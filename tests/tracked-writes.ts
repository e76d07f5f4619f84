// Writes through the collector's event store while counting them twice over: `started` counts a
// write from before it can become visible, `flushed` once it has. A reader's count taken between
// two moments must lie between `flushed` at the first and `started` at the second.
import type { EventStore } from '../collector/src/storage/index.ts';
import { makeEvent } from '../collector/src/storage/test-events.ts';

export interface TrackedWrites {
  readonly started: number;
  readonly flushed: number;
  /** `n` events one ms apart from `from`, appended and flushed. */
  write(n: number, from: number): Promise<void>;
}

export function trackedWrites(store: () => EventStore): TrackedWrites {
  const t = {
    started: 0,
    flushed: 0,
    async write(n: number, from: number) {
      t.started += n;
      await store().append(Array.from({ length: n }, (_, i) => makeEvent(from + i)), []);
      await store().flush();
      t.flushed += n;
    },
  };
  return t;
}
