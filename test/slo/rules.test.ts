import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { inspectSpec, loadSpec } from '../../src/openapi/load-spec';
import {
  buildRuleFile,
  compileObservability,
  generateRuleFile,
  generateRules,
  renderRuleFile,
  type AlertingRule,
  type RecordingRule,
  type RuleFile,
} from '../../src/slo';
import { describePromtool, makeTempDir, runPromtool } from './promtool-run';

const BURN_RATES = 'test/fixtures/slo-burn-rates/openapi.yaml';
const WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'];

const records = (file: RuleFile) =>
  file.groups.flatMap((g) => g.rules).filter((r): r is RecordingRule => 'record' in r);
const alerts = (file: RuleFile) =>
  file.groups.flatMap((g) => g.rules).filter((r): r is AlertingRule => 'alert' in r);

describe('the rule file', () => {
  let petstore: RuleFile;
  beforeAll(async () => {
    petstore = await generateRuleFile('specs/petstore.yaml');
  });

  it('records the 5xx and slow shares of every window, named as DESIGN §10 says', () => {
    expect(records(petstore).map((rule) => rule.record)).toEqual(
      WINDOWS.flatMap((w) => [
        `operation:petstore_http_request_errors:ratio_rate${w}`,
        `operation:petstore_http_request_slow:ratio_rate${w}`,
      ]),
    );
  });

  it('groups the ratios by operation and the default labels, for operations with an objective', () => {
    const [errors, slow] = records(petstore);
    expect(errors?.expr).toContain('sum by (operation, service, tenant)');
    expect(errors?.expr).toContain(
      'petstore_http_request_duration_seconds_count{operation=~"listPets|createPet|getPet|deletePet|getPetCard", status=~"5.."}[5m]',
    );
    // Each threshold reads its own bucket; deletePet has latency: false.
    expect(slow?.expr).toContain('{operation=~"listPets|getPet|getPetCard", le="0.3"}[5m]');
    expect(slow?.expr).toContain('{operation="createPet", le="0.5"}[5m]');
    expect(slow?.expr).not.toContain('deletePet');
  });

  it('raises SLOErrorBudgetBurn with operation, slo and severity, page and ticket per objective', () => {
    const labels = alerts(petstore).map((rule) => [rule.alert, rule.labels]);
    expect(labels).toContainEqual([
      'SLOErrorBudgetBurn',
      { operation: 'getPet', slo: 'availability', severity: 'page' },
    ]);
    expect(labels).toContainEqual([
      'SLOErrorBudgetBurn',
      { operation: 'createPet', slo: 'latency', severity: 'ticket' },
    ]);
    // 5 operations with availability, 4 with latency, two severities each.
    expect(labels).toHaveLength((5 + 4) * 2);
    expect(labels.map(([, l]) => (l as { operation: string }).operation)).not.toContain(
      'getPetPhoto',
    );
  });

  it('pages on 1h and 5m above 14.4× or 6h and 30m above 6×; tickets on 1d/2h 3× or 3d/6h 1×', () => {
    const page = alerts(petstore).find(
      (r) =>
        r.labels.operation === 'getPet' &&
        r.labels.slo === 'availability' &&
        r.labels.severity === 'page',
    );
    const burn = (w: string, f: number) =>
      `operation:petstore_http_request_errors:ratio_rate${w}{operation="getPet"} / 0.001 > ${f}`;
    expect(page?.expr).toBe(
      `(\n  ${burn('1h', 14.4)}\nand\n  ${burn('5m', 14.4)}\n)\nor\n(\n  ${burn('6h', 6)}\nand\n  ${burn('30m', 6)}\n)`,
    );
    const ticket = alerts(petstore).find(
      (r) =>
        r.labels.operation === 'createPet' &&
        r.labels.slo === 'latency' &&
        r.labels.severity === 'ticket',
    );
    const slow = (w: string, f: number) =>
      `operation:petstore_http_request_slow:ratio_rate${w}{operation="createPet"} / 0.01 > ${f}`;
    expect(ticket?.expr).toBe(
      `(\n  ${slow('1d', 3)}\nand\n  ${slow('2h', 3)}\n)\nor\n(\n  ${slow('3d', 1)}\nand\n  ${slow('6h', 1)}\n)`,
    );
  });

  it('annotates what a person paged at night needs: operation, method and path, objective, burn', () => {
    const page = alerts(petstore).find(
      (r) =>
        r.labels.operation === 'getPet' &&
        r.labels.slo === 'availability' &&
        r.labels.severity === 'page',
    );
    expect(page?.annotations.summary).toBe(
      'getPet (GET /pets/{petId}): availability error budget burning {{ printf "%.1f" $value }}× too fast (page)',
    );
    expect(page?.annotations.description).toContain(
      'Objective of getPet (GET /pets/{petId}): 99.9 % of requests answered without a 5xx over 28d (error budget 0.1 %).',
    );
    expect(page?.annotations.description).toContain(
      '1h and 5m above 14.4×, or 6h and 30m above 6×',
    );
  });

  it('keeps ratios and alerts in one group, so alerts read the ratios of the same evaluation', () => {
    expect(petstore.groups.map((group) => group.name)).toEqual(['petstore-slo']);
    const rules = petstore.groups[0]?.rules ?? [];
    const firstAlert = rules.findIndex((rule) => 'alert' in rule);
    expect(rules.slice(firstAlert).every((rule) => 'alert' in rule)).toBe(true);
  });

  it('renders YAML headed by where it came from, equal to the data', async () => {
    const text = await generateRules('specs/petstore.yaml');
    expect(text.split('\n')[0]).toBe(
      '# Prometheus rules generated by spectrometer 0.1.0 from specs/petstore.yaml: do not edit.',
    );
    expect(parse(text)).toEqual(JSON.parse(JSON.stringify(petstore)));
  });

  it('matches whole-second thresholds as prom-client (le="1") and Prometheus 3 (le="1.0") write them', async () => {
    const file = await generateRuleFile(BURN_RATES);
    expect(records(file)[1]?.expr).toContain('{operation="wholeSecond", le=~"1|1.0"}[5m]');
  });

  it('throws SPM_X_SLO_INVALID listing every problem for an invalid x-slo', async () => {
    await expect(
      generateRules('test/fixtures/slo-every-problem/openapi.yaml'),
    ).rejects.toMatchObject({
      code: 'SPM_X_SLO_INVALID',
      problems: expect.arrayContaining([expect.objectContaining({ pointer: '#/x-slo/window' })]),
    });
  });

  it('is what examples/prometheus loads (regenerate it with spectrometer rules when this fails)', async () => {
    expect(readFileSync('examples/prometheus/petstore-slo-rules.yml', 'utf8')).toBe(
      await generateRules('specs/petstore.yaml'),
    );
    expect(readFileSync('examples/prometheus/prometheus.yml', 'utf8')).toContain(
      'rule_files:\n  - petstore-slo-rules.yml\n',
    );
  });

  it('is an empty rule file for a spec without objectives', async () => {
    const spec = await loadSpec('specs/problems.yaml');
    const compiled = compileObservability(spec);
    expect(buildRuleFile(compiled.slos, compiled.title)).toEqual({ groups: [] });
    expect(renderRuleFile({ groups: [] }, 'x')).toContain('groups: []');
  });
});

describePromtool('promtool on the generated rules', () => {
  it('check rules passes with no finding for every spec in specs/ and every fixture that compiles', async () => {
    const dir = makeTempDir();
    const sources = [
      ...readdirSync('specs').map((name) => join('specs', name)),
      ...readdirSync('test/fixtures').map((name) => join('test/fixtures', name, 'openapi.yaml')),
    ];
    const files: string[] = [];
    for (const source of sources) {
      const inspection = await inspectSpec(source).catch(() => undefined);
      if (!inspection || inspection.problems.length) continue;
      const compiled = compileObservability(inspection.spec);
      if (compiled.problems.length) continue;
      const file = join(dir, `${files.length}.yml`);
      writeFileSync(file, renderRuleFile(buildRuleFile(compiled.slos, compiled.title), source));
      files.push(file);
    }
    expect(files.length).toBeGreaterThan(20);
    const { status, output } = runPromtool(['check', 'rules', ...files]);
    const lines = output.split('\n').filter((line) => line.trim());
    // Only "Checking <file>" and "SUCCESS: N rules found" lines: no duplicate or lint finding.
    expect({
      status,
      findings: lines.filter((l) => !/^(Checking \S+|\s*SUCCESS: \d+ rules found)$/.test(l)),
    }).toEqual({
      status: 0,
      findings: [],
    });
  }, 60_000);

  it.each(['availability', 'latency'])(
    'test rules: the %s suite (page, ticket, never, opted out, a clean history)',
    async (suite) => {
      const dir = makeTempDir();
      writeFileSync(join(dir, 'rules.yml'), await generateRules(BURN_RATES));
      copyFileSync(
        join(__dirname, 'promtool', `${suite}.test.yaml`),
        join(dir, `${suite}.test.yaml`),
      );
      const { status, output } = runPromtool(['test', 'rules', `${suite}.test.yaml`], dir);
      expect({ status, output }).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
    },
    120_000,
  );
});
