/**
 * The Grafana dashboard JSON that `spectrometer dashboard` writes: the subset of Grafana's
 * dashboard model it uses (checked against `@grafana/schema`'s `Dashboard` in the tests).
 */

/** `{ type: 'prometheus', uid: '${datasource}' }`: the dashboard's data source variable. */
export interface GrafanaDataSourceRef {
  type: string;
  uid: string;
}

/** One PromQL query of a panel (a type, not an interface: Grafana's targets are records). */
export type GrafanaTarget = {
  refId: string;
  datasource: GrafanaDataSourceRef;
  expr: string;
  legendFormat: string;
  /** True: a time series; false with `instant`: one value per series. */
  range: boolean;
  instant: boolean;
};

/** A panel that shows queries (timeseries, bargauge). */
export interface GrafanaPanel {
  id: number;
  type: string;
  title: string;
  description: string;
  datasource: GrafanaDataSourceRef;
  gridPos: { h: number; w: number; x: number; y: number };
  fieldConfig: {
    defaults: { unit: string; min?: number; max?: number; custom?: Record<string, unknown> };
    overrides: [];
  };
  options: Record<string, unknown>;
  targets: GrafanaTarget[];
}

/** A row header; the panels below it (until the next row) belong to it. */
export interface GrafanaRow {
  id: number;
  type: 'row';
  title: string;
  collapsed: boolean;
  gridPos: { h: number; w: number; x: number; y: number };
  panels: [];
}

/** A dashboard variable (`datasource`, `operation`). */
export interface GrafanaVariable {
  name: string;
  label: string;
  type: 'datasource' | 'query';
  description: string;
  query: string | { query: string; refId: string };
  datasource?: GrafanaDataSourceRef;
  current?: { selected: boolean; text: string | string[]; value: string | string[] };
  includeAll?: boolean;
  multi?: boolean;
  allValue?: string;
  /** 1: on dashboard load; 2: on time range change. */
  refresh: 1 | 2;
  /** 0: shown. */
  hide: 0;
  /** 1: alphabetical. */
  sort?: 1;
  regex?: string;
  options: [];
}

/** A Grafana dashboard, importable as is (Dashboards → New → Import). */
export interface GrafanaDashboard {
  /** Null: Grafana gives the imported dashboard its own id. */
  id: null;
  /** Stable for a spec: derived from its title and metric prefix. */
  uid: string;
  title: string;
  description: string;
  tags: string[];
  editable: boolean;
  /** 1: shared crosshair. */
  graphTooltip: 1;
  schemaVersion: number;
  version: number;
  time: { from: string; to: string };
  refresh: string;
  timezone: string;
  templating: { list: GrafanaVariable[] };
  annotations: { list: [] };
  links: [];
  panels: Array<GrafanaPanel | GrafanaRow>;
}
