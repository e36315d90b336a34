import type { GrafanaPanel, GrafanaRow, GrafanaTarget } from './dashboard-types';

/** Grafana's rate window for the current zoom and scrape interval. */
export const RATE = '$__rate_interval';
/** The operations the dashboard's `operation` variable selects. */
export const SELECTED = 'operation=~"$operation"';
/** The quantiles latency panels show. */
export const QUANTILES = [0.5, 0.95, 0.99];

/** The data source every panel and query uses: the dashboard's `datasource` variable. */
export const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

/** A query of a panel; `instant` ones show one value per series. */
export interface QuerySpec {
  expr: string;
  legend: string;
  instant?: boolean;
}

/** A panel before it is placed on the grid. */
export interface PanelSpec {
  type: 'timeseries' | 'bargauge';
  title: string;
  description: string;
  unit: string;
  queries: QuerySpec[];
  min?: number;
  max?: number;
}

/**
 * Places rows and panels on Grafana's 24-column grid, two panels per line, and numbers them.
 * @example
 * layOut([{ title: 'Requests', panels: [rate, errors] }]).map((p) => p.type) // ['row', 'timeseries', 'timeseries']
 */
export function layOut(
  sections: ReadonlyArray<{ title: string; panels: readonly PanelSpec[] }>,
): Array<GrafanaPanel | GrafanaRow> {
  const placed: Array<GrafanaPanel | GrafanaRow> = [];
  let y = 0;
  let id = 1;
  for (const section of sections) {
    if (!section.panels.length) continue;
    placed.push({
      id: id++,
      type: 'row',
      title: section.title,
      collapsed: false,
      gridPos: { h: 1, w: 24, x: 0, y: y++ },
      panels: [],
    });
    section.panels.forEach((panel, index) => {
      const x = index % 2 === 0 ? 0 : 12;
      placed.push(toPanel(panel, id++, { h: 8, w: 12, x, y }));
      if (x === 12 || index === section.panels.length - 1) y += 8;
    });
  }
  return placed;
}

function toPanel(spec: PanelSpec, id: number, gridPos: GrafanaPanel['gridPos']): GrafanaPanel {
  const targets = spec.queries.map((query, index): GrafanaTarget => ({
    refId: String.fromCharCode(65 + index),
    datasource: DATASOURCE,
    expr: query.expr,
    legendFormat: query.legend,
    range: !query.instant,
    instant: Boolean(query.instant),
  }));
  const timeseries = spec.type === 'timeseries';
  return {
    id,
    type: spec.type,
    title: spec.title,
    description: spec.description,
    datasource: DATASOURCE,
    gridPos,
    fieldConfig: {
      defaults: {
        unit: spec.unit,
        ...(spec.min !== undefined ? { min: spec.min } : {}),
        ...(spec.max !== undefined ? { max: spec.max } : {}),
        ...(timeseries ? { custom: { drawStyle: 'line', lineWidth: 1, fillOpacity: 0 } } : {}),
      },
      overrides: [],
    },
    options: timeseries
      ? {
          legend: { displayMode: 'list', placement: 'bottom', showLegend: true, calcs: [] },
          tooltip: { mode: 'multi', sort: 'desc' },
        }
      : {
          orientation: 'horizontal',
          displayMode: 'basic',
          showUnfilled: true,
          reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
        },
    targets,
  };
}
