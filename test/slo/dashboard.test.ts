// The generated Grafana dashboard: its shape is checked against Grafana's own published types
// (@grafana/schema, the dashboard model Grafana generates from its CUE schema) at compile time,
// and its queries by promtool.
import type { Dashboard, Panel, RowPanel, VariableModel } from '@grafana/schema';
import {
  generateDashboard,
  listDashboardQueries,
  type GrafanaDashboard,
  type GrafanaPanel,
  type GrafanaRow,
  type GrafanaVariable,
} from '../../src/slo';
import { describePromtool, parseWithPromtool } from './promtool-run';

// Compile-time checks: ours is assignable to Grafana's, and has no key Grafana's lacks.
type NoExtraKeys<Ours, Theirs> = Exclude<keyof Ours, keyof Theirs> extends never ? true : never;
const assignable = (dashboard: GrafanaDashboard): Dashboard => dashboard;
const keysOf: {
  dashboard: NoExtraKeys<GrafanaDashboard, Dashboard>;
  panel: NoExtraKeys<GrafanaPanel, Panel>;
  row: NoExtraKeys<GrafanaRow, RowPanel>;
  variable: NoExtraKeys<GrafanaVariable, VariableModel>;
  fieldDefaults: NoExtraKeys<
    GrafanaPanel['fieldConfig']['defaults'],
    NonNullable<Panel['fieldConfig']>['defaults']
  >;
} = { dashboard: true, panel: true, row: true, variable: true, fieldDefaults: true };

const isRow = (panel: GrafanaPanel | GrafanaRow): panel is GrafanaRow => panel.type === 'row';

describe('the Grafana dashboard', () => {
  let dashboard: GrafanaDashboard;
  beforeAll(async () => {
    dashboard = await generateDashboard('specs/petstore.yaml');
  });

  it("has the shape of @grafana/schema's Dashboard", () => {
    expect(keysOf).toEqual({
      dashboard: true,
      panel: true,
      row: true,
      variable: true,
      fieldDefaults: true,
    });
    const checked = assignable(dashboard);
    expect(checked.schemaVersion).toBe(39);
    // Importable as is: no id of another Grafana, JSON all the way down.
    expect(dashboard.id).toBeNull();
    expect(JSON.parse(JSON.stringify(dashboard))).toEqual(dashboard);
  });

  it('has a stable uid derived from the spec', async () => {
    expect(dashboard.uid).toMatch(/^spm-petstore-[0-9a-f]{8}$/);
    expect(dashboard.uid.length).toBeLessThanOrEqual(40);
    expect((await generateDashboard('specs/petstore.yaml')).uid).toBe(dashboard.uid);
    expect((await generateDashboard('test/fixtures/slo-levels/openapi.yaml')).uid).not.toBe(
      dashboard.uid,
    );
  });

  it('has a Prometheus datasource variable and a multi-value operation variable', () => {
    const [datasource, operation] = dashboard.templating.list;
    expect(datasource).toMatchObject({
      name: 'datasource',
      type: 'datasource',
      query: 'prometheus',
    });
    expect(operation).toMatchObject({
      name: 'operation',
      type: 'query',
      datasource: { type: 'prometheus', uid: '${datasource}' },
      query: {
        query: 'label_values(petstore_http_request_duration_seconds_count, operation)',
        refId: 'PrometheusVariableQueryEditor-VariableQuery',
      },
      includeAll: true,
      multi: true,
    });
    for (const panel of dashboard.panels.filter((p): p is GrafanaPanel => !isRow(p))) {
      expect(panel.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
      for (const target of panel.targets) expect(target.datasource).toEqual(panel.datasource);
    }
  });

  it('shows request rate, error ratio and p50/p95/p99 by operation, then each SLO, then each x-metrics metric', () => {
    const titles = dashboard.panels.map((p) => `${p.type}: ${p.title}`);
    expect(titles).toEqual([
      'row: Requests by operation',
      'timeseries: Request rate',
      'timeseries: Error ratio (5xx)',
      'timeseries: Latency p50 / p95 / p99',
      'row: Service level objectives',
      'bargauge: Availability: error budget left over the window',
      'timeseries: Availability: burn rate (1h)',
      'bargauge: Latency: error budget left over the window',
      'timeseries: Latency: burn rate (1h)',
      'row: x-metrics',
      'timeseries: petstore_requests_total',
      'timeseries: petstore_pets_listed',
      'timeseries: petstore_last_listing_pets',
      'timeseries: petstore_pets_created_total',
      'timeseries: petstore_create_request_bytes',
      'timeseries: petstore_pet_requests_in_progress',
      'timeseries: petstore_pet_lookups_total',
      'timeseries: petstore_card_seconds',
      'timeseries: petstore_photo_bytes_total',
    ]);
    const exprs = (title: string) =>
      (dashboard.panels.find((p) => p.title === title) as GrafanaPanel).targets.map((t) => t.expr);
    expect(exprs('Latency p50 / p95 / p99')).toEqual(
      [0.5, 0.95, 0.99].map(
        (q) =>
          `histogram_quantile(${q}, sum by (operation, le) (rate(petstore_http_request_duration_seconds_bucket{operation=~"$operation"}[$__rate_interval])))`,
      ),
    );
    // By type: a counter's rate, a gauge's sum, a histogram's quantiles, a summary's quantiles.
    expect(exprs('petstore_pets_created_total')).toEqual([
      'sum by (tag, status, content_type, store) (rate(petstore_pets_created_total[$__rate_interval]))',
    ]);
    expect(exprs('petstore_pet_requests_in_progress')).toEqual([
      'sum by (route, method) (petstore_pet_requests_in_progress)',
    ]);
    expect(exprs('petstore_pets_listed')[1]).toBe(
      'histogram_quantile(0.95, sum by (le) (rate(petstore_pets_listed_bucket[$__rate_interval])))',
    );
    expect(exprs('petstore_card_seconds')).toEqual(['max by (quantile) (petstore_card_seconds)']);
  });

  it("computes the budget left over each objective's window from its budget", () => {
    const panel = dashboard.panels.find(
      (p) => p.title === 'Latency: error budget left over the window',
    ) as GrafanaPanel;
    expect(panel.targets.map((t) => [t.instant, t.expr.split('\n').pop()])).toEqual([
      [true, ') / 0.01'],
      [true, ') / 0.01'],
    ]);
    expect(panel.targets[0]?.expr).toContain('le="0.3", operation=~"$operation"}[28d]');
    expect(panel.targets[1]?.expr).toContain(
      '{operation="createPet", le="0.5", operation=~"$operation"}[28d]',
    );
  });

  it('lays panels out two per line on the 24-column grid without overlaps', () => {
    const cells = new Set<string>();
    for (const { gridPos } of dashboard.panels) {
      expect(gridPos.x + gridPos.w).toBeLessThanOrEqual(24);
      for (let x = gridPos.x; x < gridPos.x + gridPos.w; x++)
        for (let y = gridPos.y; y < gridPos.y + gridPos.h; y++) {
          expect(cells.has(`${x},${y}`)).toBe(false);
          cells.add(`${x},${y}`);
        }
    }
  });
});

describePromtool('dashboard queries', () => {
  it('every query parses (promtool), with the variables Grafana fills in', async () => {
    const queries = [
      ...listDashboardQueries(await generateDashboard('specs/petstore.yaml')),
      ...listDashboardQueries(await generateDashboard('test/fixtures/slo-levels/openapi.yaml')),
    ];
    const filled = queries.map((q) =>
      q.replace(/\$operation/g, '.*').replace(/\$__rate_interval/g, '1m'),
    );
    const { status, output } = parseWithPromtool(filled);
    expect({ status, output }).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
  });
});
