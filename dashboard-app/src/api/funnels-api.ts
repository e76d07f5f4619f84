// Client for the funnel jobs API (server/src/funnels/funnel-routes.ts): submit, poll until done, list saved results.
import { API_BASE } from './cube-api.ts';

export type FunnelStepInput = Readonly<{ type: 'event' | 'page'; value: string }>;

export type FunnelRequest = Readonly<{
  name?: string;
  steps: readonly FunnelStepInput[];
  windowSeconds: number;
  dateRange: readonly [string, string];
  compareDateRange?: readonly [string, string];
  site?: string | null;
  timezone?: string;
  /** Event-level conditions every step must meet (the view's country and device filters). */
  stepFilters?: readonly { member: string; operator: 'equals'; values: readonly string[] }[];
}>;

export type FunnelStepResult = Readonly<{
  name: string;
  entered: number;
  completed: number;
  conversionFromPrevious: number;
  conversionFromFirst: number;
  medianSecondsToConvert: number | null;
}>;

export type FunnelResult = Readonly<{
  id: string;
  name: string;
  status: 'queued' | 'running' | 'done' | 'error';
  error?: string;
  steps: readonly FunnelStepResult[];
  compare?: readonly FunnelStepResult[];
  request?: unknown;
  createdAt?: string;
}>;

export class FunnelApiError extends Error {
  constructor(message: string, readonly status: number) { super(message); }
}

async function call<T>(token: string, path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`${API_BASE}${path}`, {
    ...init,
    headers: { Authorization: token, 'Content-Type': 'application/json', ...(init?.headers ?? {}) },
  });
  const text = await res.text();
  let body: unknown = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = { error: text }; }
  if (!res.ok) throw new FunnelApiError(String((body as { error?: unknown })?.error ?? res.statusText), res.status);
  return body as T;
}

export function toServerBody(req: FunnelRequest): Record<string, unknown> {
  return {
    name: req.name,
    steps: req.steps.map((s, i) => ({
      name: s.value || `Step ${i + 1}`,
      ...(s.type === 'event' ? { event: s.value } : { page: s.value }),
      ...(req.stepFilters?.length ? { filters: req.stepFilters } : {}),
    })),
    windowSeconds: req.windowSeconds,
    dateRange: req.dateRange,
    ...(req.compareDateRange ? { compareDateRange: req.compareDateRange } : {}),
    ...(req.site ? { appId: req.site } : {}),
    ...(req.timezone ? { timezone: req.timezone } : {}),
  };
}

export async function submitFunnel(token: string, req: FunnelRequest): Promise<string> {
  const body = await call<{ id: string }>(token, '/funnels', { method: 'POST', body: JSON.stringify(toServerBody(req)) });
  return body.id;
}

export async function getFunnel(token: string, id: string): Promise<FunnelResult> {
  return normalizeFunnel(await call<unknown>(token, `/funnels/${encodeURIComponent(id)}`));
}

export async function listFunnels(token: string): Promise<FunnelResult[]> {
  const body = await call<unknown>(token, '/funnels');
  const items = Array.isArray(body) ? body : ((body as { funnels?: unknown[]; results?: unknown[] })?.funnels ?? (body as { results?: unknown[] })?.results ?? []);
  return items.map(normalizeFunnel);
}

/** Polls until the job finishes; the server answers quickly and we wait between polls. */
export async function runFunnel(token: string, req: FunnelRequest, signal?: AbortSignal, pollMs = 700): Promise<FunnelResult> {
  const id = await submitFunnel(token, req);
  for (;;) {
    if (signal?.aborted) throw new DOMException('aborted', 'AbortError');
    const result = await getFunnel(token, id);
    if (result.status === 'done') return result;
    if (result.status === 'error') throw new FunnelApiError(result.error ?? 'The funnel failed', 400);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

type Loose = Record<string, unknown>;
const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v) || 0);

function normalizeSteps(raw: unknown): FunnelStepResult[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((s: Loose, i) => ({
    name: String(s.name ?? s.label ?? s.step ?? `Step ${i + 1}`),
    entered: num(s.entered ?? s.users ?? s.count),
    completed: num(s.completed ?? s.users ?? s.count),
    conversionFromPrevious: num(s.conversionFromPrevious ?? s.conversion_from_previous ?? s.conversionRate),
    conversionFromFirst: num(s.conversionFromFirst ?? s.conversion_from_first),
    medianSecondsToConvert: s.medianSecondsToConvert === null || s.medianSecondsToConvert === undefined ? null : num(s.medianSecondsToConvert),
  }));
}

/** Accepts the few reasonable shapes the server might use, so the page does not break on a rename. */
export function normalizeFunnel(raw: unknown): FunnelResult {
  const r = (raw ?? {}) as Loose;
  const result = (r.result ?? r) as Loose;
  const status = String(r.status ?? (result.steps ? 'done' : 'running'));
  const compare = (result.compare ?? result.comparison ?? (result.compareSteps as unknown)) as Loose | unknown[] | undefined;
  return {
    id: String(r.id ?? ''),
    name: String(r.name ?? (r.request as Loose | undefined)?.name ?? 'Funnel'),
    status: (['queued', 'running', 'done', 'error'].includes(status) ? status : status === 'failed' ? 'error' : 'running') as FunnelResult['status'],
    error: typeof r.error === 'string' ? r.error : undefined,
    steps: normalizeSteps(result.steps),
    compare: compare ? normalizeSteps(Array.isArray(compare) ? compare : (compare as Loose).steps) : undefined,
    request: r.request,
    createdAt: typeof r.createdAt === 'string' ? r.createdAt : undefined,
  };
}
