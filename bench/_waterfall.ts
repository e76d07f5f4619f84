// A visit's waterfall from the browser's own timings: when the document, the scripts and each
// /load request started and ended (relative to navigation), what the server said it spent on
// each request (Server-Timing: auth, prepare, tails, queue, db, shape), and when the page was
// fully rendered. The dashboard bench prints the median of each over its visits.
import type { Page } from 'playwright-core';
import { progress } from './_dataset.ts';

export type Waterfall = {
  /** Document response end, last script/style end, first /load start, last /load end, rendered (ms since navigation). */
  marks: Record<'document' | 'assets' | 'firstLoad' | 'lastLoad' | 'rendered', number>;
  loads: { query: string; start: number; end: number; server: Record<string, number> }[];
};

export async function readWaterfall(page: Page, renderedAt: number): Promise<Waterfall> {
  return page.evaluate((rendered) => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const res = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const loads = res.filter((r) => r.name.includes('/cubejs-api/v1/load')).map((r) => {
      const q = new URL(r.name).searchParams.get('query') ?? '';
      const server: Record<string, number> = {};
      for (const t of r.serverTiming) if (t.duration) server[t.name] = t.duration;
      return { query: q, start: r.startTime, end: r.responseEnd, server };
    });
    const assets = res.filter((r) => /\.(js|css)(\?|$)/.test(r.name));
    return {
      marks: {
        document: nav.responseEnd,
        assets: Math.max(0, ...assets.map((a) => a.responseEnd)),
        firstLoad: Math.min(...loads.map((l) => l.start)),
        lastLoad: Math.max(...loads.map((l) => l.end)),
        rendered,
      },
      loads,
    };
  }, renderedAt);
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** A short name for a /load query: its measures and dimensions. */
function label(query: string): string {
  try {
    const q = JSON.parse(query) as { measures?: string[]; dimensions?: string[]; timeDimensions?: { granularity?: string }[] };
    const g = q.timeDimensions?.find((t) => t.granularity)?.granularity;
    return [...(q.dimensions ?? []), ...(q.measures ?? []).slice(0, 1), g ? `by ${g}` : ''].filter(Boolean).join(' ').slice(0, 44);
  } catch { return query.slice(0, 44); }
}

/** Prints the median waterfall of `visits` to stderr. */
export function printWaterfall(name: string, visits: readonly Waterfall[]): void {
  if (visits.length === 0) return;
  const m = (f: (w: Waterfall) => number) => Math.round(median(visits.map(f)));
  progress(`${name}: document ${m((w) => w.marks.document)} ms, scripts ${m((w) => w.marks.assets)}, first /load ${m((w) => w.marks.firstLoad)}, last /load end ${m((w) => w.marks.lastLoad)}, rendered ${m((w) => w.marks.rendered)} (median of ${visits.length})`);
  const queries = [...new Set(visits.flatMap((w) => w.loads.map((l) => l.query)))];
  for (const q of queries) {
    const per = visits.map((w) => w.loads.find((l) => l.query === q)).filter((l): l is Waterfall['loads'][number] => !!l);
    const phases = [...new Set(per.flatMap((l) => Object.keys(l.server)))];
    const srv = phases.map((p) => `${p} ${Math.round(median(per.map((l) => l.server[p] ?? 0)))}`).join(', ');
    progress(`  ${label(q).padEnd(44)} ${String(Math.round(median(per.map((l) => l.start)))).padStart(5)} → ${String(Math.round(median(per.map((l) => l.end)))).padStart(5)} ms  server: ${srv}`);
  }
}
