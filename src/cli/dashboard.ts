import { buildDashboard, listDashboardQueries } from '../slo';
import { writeObservability } from './slo-output';

/**
 * `spectrometer dashboard <spec> [-o file]`: a Grafana dashboard (JSON, importable as is) for the
 * spec's operations, SLOs and x-metrics, on stdout or into the file. Exits 1 with every problem
 * when x-metrics or x-slo has mistakes.
 * @example
 * await dashboard(['specs/petstore.yaml', '-o', 'petstore-dashboard.json']) // 0
 */
export async function dashboard(args: string[]): Promise<number> {
  return writeObservability('dashboard', args, (compiled) => {
    const built = buildDashboard(compiled);
    const panels = built.panels.filter((panel) => panel.type !== 'row').length;
    return {
      text: JSON.stringify(built, null, 2),
      summary: `Grafana dashboard "${built.title}" (uid ${built.uid}): ${panels} panels, ${listDashboardQueries(built).length} queries`,
    };
  });
}
