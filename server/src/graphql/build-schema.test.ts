import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printSchema } from 'graphql';
import { buildSchema } from './build-schema.ts';
import { toGraphqlRows } from './graphql-route.ts';

const meta = [{
  name: 'page_views', measures: [{ name: 'page_views.count', type: 'number' }],
  dimensions: [{ name: 'page_views.path', type: 'string' }, { name: 'page_views.at', type: 'time' }, { name: 'page_views.secret', type: 'string', isVisible: false }],
}];

test('types are named as Cube names them, fields keep the cube name; hidden members are left out', () => {
  const { schema, index } = buildSchema(meta, () => []);
  const sdl = printSchema(schema);
  assert.match(sdl, /type PageViewsMembers \{/);
  assert.match(sdl, /input PageViewsWhereInput \{/);
  assert.match(sdl, /page_views\(where: PageViewsWhereInput, orderBy: PageViewsOrderByInput\): PageViewsMembers!/);
  assert.match(sdl, /at: TimeDimension/);
  assert.doesNotMatch(sdl, /secret/);
  assert.equal(index.cubeByField.get('page_views'), 'page_views');
});

test('rows are nested per cube; local times become UTC ISO strings in the query time zone', () => {
  const { index } = buildSchema(meta, () => []);
  const rows = toGraphqlRows({
    query: { timezone: 'America/New_York', dimensions: ['page_views.path'] },
    data: [{ 'page_views.count': '3', 'page_views.path': '/', 'page_views.at.day': '2024-01-01T00:00:00.000', 'page_views.at': '2024-01-01T00:00:00.000' }],
  }, index);
  assert.deepEqual(rows, [{ page_views: { count: '3', path: '/', at: { day: '2024-01-01T05:00:00.000Z' } } }]);
});
