// Cube's own driver-conformance model (shared/peer, beside the repository; never copied in)
// loads unchanged: multi-stage measures, time shifts, a calendar cube and a view with switch
// members. What each member must carry is read from the YAML file itself.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { buildSchema, typeBaseName } from '../graphql/build-schema.ts';
import { compileModelFromSources } from './load-model.ts';
import { toMeta } from './to-meta.ts';
import { CUBE_SUITE_DIR, CUBE_SUITE_MISSING } from '../../../tests/cube-suite-dir.ts';
import type { Dimension, Measure } from './types.ts';

const PEER = `${CUBE_SUITE_DIR}/model/`;

it('Cube\'s driver suite is on this machine', { skip: CUBE_SUITE_DIR ? false : CUBE_SUITE_MISSING }, () => {});

interface RawMember { name: string; [k: string]: unknown }
interface RawCube { name: string; calendar?: boolean; measures?: RawMember[]; dimensions?: RawMember[] }

for (const dialect of CUBE_SUITE_DIR ? ['postgres', 'mysql'] : []) {
  describe(`Cube's testing-drivers model (${dialect})`, () => {
    const file = `${PEER}${dialect}/ecommerce.yaml`;
    it('is in the suite', () => assert.ok(existsSync(file), `${file} is missing`));
    const content = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const raw = content ? parse(content) as { cubes: RawCube[]; views: RawCube[] } : { cubes: [], views: [] };
    const { model, errors } = compileModelFromSources([{ path: 'ecommerce.yaml', content }]);

    it('compiles without errors and keeps every cube and view', () => {
      assert.deepEqual(errors, []);
      assert.deepEqual([...model.cubes.keys()].sort(), [...raw.cubes, ...raw.views].map((c) => c.name).sort());
    });

    it('serves /meta and a GraphQL schema with every visible cube and view', () => {
      const meta = toMeta(model, { visibleOnly: true }) as { name: string }[];
      const { schema } = buildSchema(meta as unknown as Parameters<typeof buildSchema>[0], () => null);
      const types = Object.keys(schema.getTypeMap());
      for (const c of meta) assert.ok(types.some((t) => t.startsWith(typeBaseName(c.name))), `GraphQL type for ${c.name}`);
    });

    it('represents every multi-stage measure with its time_shift, group_by and reduce_by', () => {
      let seen = 0;
      for (const cube of [...raw.cubes, ...raw.views]) {
        for (const m of cube.measures ?? []) {
          const flagged = m.multi_stage === true || m.multiStage === true;
          const compiled = model.members.get(`${cube.name}.${m.name}`) as Measure;
          assert.ok(compiled, `${cube.name}.${m.name} compiled`);
          assert.equal(compiled.multiStage !== undefined, flagged, `${cube.name}.${m.name} multiStage`);
          if (!flagged) continue;
          seen++;
          const shifts = (m.time_shift ?? m.timeShift ?? []) as { interval?: string; type?: string; time_dimension?: string }[];
          assert.deepEqual(compiled.multiStage!.timeShift.map((s) => [s.interval, s.type, s.timeDimension]),
            shifts.map((s) => [s.interval, s.type, s.time_dimension && `${cube.name}.${s.time_dimension}`]));
          const refs = (v: unknown) => (v as string[] | undefined)?.map((r) => {
            const [member, granularity] = r.split('.');
            return granularity ? { member: `${cube.name}.${member}`, granularity } : { member: `${cube.name}.${member}` };
          });
          assert.deepEqual(compiled.multiStage!.groupBy, refs(m.group_by));
          assert.deepEqual(compiled.multiStage!.reduceBy, refs(m.reduce_by));
        }
      }
      assert.ok(seen >= 8, `found ${seen} multi-stage measures`);
    });

    it('keeps the calendar cube and its time dimension shifts', () => {
      const calendar = raw.cubes.find((c) => c.calendar === true)!;
      assert.equal(model.cubes.get(calendar.name)!.calendar, true);
      for (const d of calendar.dimensions ?? []) {
        const shifts = (d.time_shift ?? d.timeShift) as { interval: string; type: string; sql: string }[] | undefined;
        const compiled = model.members.get(`${calendar.name}.${d.name}`) as Dimension;
        assert.deepEqual(compiled.timeShift?.map((s) => [s.interval, s.type, s.sql?.length]),
          shifts?.map((s) => [s.interval, s.type, 2]), `${d.name}: {CUBE}.column is two parts`);
      }
    });

    it('keeps the view\'s own switch dimensions and switch-case members', () => {
      const view = raw.views[0]!;
      for (const d of view.dimensions ?? []) {
        const compiled = model.members.get(`${view.name}.${d.name}`) as Dimension;
        if (d.type === 'switch') assert.deepEqual(compiled.switchValues, d.values);
        const c = d.case as { switch: string; when: { value: string }[] } | undefined;
        if (c) {
          assert.equal(compiled.switchCase!.switch, c.switch.replace(/^\{CUBE\.(\w+)\}$/, `${view.name}.$1`));
          assert.deepEqual(compiled.switchCase!.when.map((w) => w.value), c.when.map((w) => w.value));
          assert.equal(compiled.multiStage, true);
        }
      }
      for (const m of view.measures ?? []) {
        const compiled = model.members.get(`${view.name}.${m.name}`) as Measure;
        const c = m.case as { when: { value: string }[] };
        assert.deepEqual(compiled.switchCase!.when.map((w) => w.value), c.when.map((w) => w.value));
        assert.equal(compiled.sql, undefined);
      }
    });
  });
}
