// The whole model as one JSON object on standard output, for scripts and dashboards of one's own.
import type { ReportRenderer } from './renderer.ts';

export const jsonRenderer: ReportRenderer = {
  format: 'json',
  folder: 'unused',
  render(model, out) {
    out.print(JSON.stringify(model, null, 1) + '\n');
  },
};
