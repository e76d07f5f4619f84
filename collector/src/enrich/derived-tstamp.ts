// derived_tstamp by Snowplow's formula (enrich EventEnrichments.getDerivedTimestamp): the true
// timestamp if given, else the collector time corrected by the device's own created→sent delay,
// which cancels device clock skew.
export function derivedTstamp(collector: number, created?: number | null, sent?: number | null, truth?: number | null): number {
  if (truth != null) return truth;
  if (created != null && sent != null && created < sent) return collector - (sent - created);
  return collector;
}
