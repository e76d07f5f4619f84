// webcube's Cube configuration (same format and option names as Cube's cube.js; CommonJS).
// Multi-site: a token whose security context carries `app_id` (one id or a list) only ever
// reads that site's rows. Every cube the query touches must have an `app_id` dimension; each
// gets an `equals` filter, ANDed with whatever the client asked. Tokens without `app_id` are
// site-wide (admin) tokens.

/** Cube names used anywhere in the query: members, time dimensions, segments, filters, order. */
function cubesOfQuery(query) {
  const names = new Set();
  const add = (member) => { if (typeof member === 'string') names.add(member.split('.')[0]); };
  (query.measures || []).forEach(add);
  (query.dimensions || []).forEach(add);
  (query.segments || []).forEach(add);
  (query.timeDimensions || []).forEach((td) => add(td.dimension));
  const walk = (filters) => (filters || []).forEach((f) => {
    if (f.and) walk(f.and);
    else if (f.or) walk(f.or);
    else add(f.member || f.dimension);
  });
  walk(query.filters);
  const order = query.order || [];
  (Array.isArray(order) ? order : Object.keys(order).map((k) => [k])).forEach((o) => add(Array.isArray(o) ? o[0] : o && o.id));
  return [...names];
}

function appIdsOf(securityContext) {
  const raw = securityContext ? securityContext.app_id : undefined;
  if (raw === undefined || raw === null) return null;
  const ids = (Array.isArray(raw) ? raw : [raw]).map(String);
  if (ids.length === 0) throw new Error('The token restricts access to an empty list of sites (app_id)');
  return ids;
}

module.exports = {
  queryRewrite: (query, { securityContext, cubes }) => {
    const appIds = appIdsOf(securityContext);
    if (!appIds) return query;
    const byName = new Map((cubes || []).map((c) => [c.name, c]));
    const used = cubesOfQuery(query);
    if (used.length === 0) throw new Error('A site-restricted token must query at least one cube with an app_id dimension');
    query.filters = query.filters || [];
    for (const name of used) {
      const cube = byName.get(name);
      const member = cube && cube.dimensions.find((d) => d === `${name}.app_id` || d === `${name}.appId`);
      if (!member) throw new Error(`Cube '${name}' has no app_id dimension, so a site-restricted token cannot query it`);
      query.filters.push({ member, operator: 'equals', values: appIds });
    }
    return query;
  },

  // Site tokens read data; only site-wide tokens may also trigger pre-aggregation builds.
  contextToApiScopes: (securityContext, defaultScopes) => (
    appIdsOf(securityContext) ? defaultScopes.filter((s) => s !== 'jobs') : [...new Set([...defaultScopes, 'jobs'])]
  ),
};
