// Reports of a store (README.md): build the model once, render it in any format.
import { htmlRenderer } from './html.ts';
import { jsonRenderer } from './json.ts';
import { markdownRenderer } from './markdown.ts';
import type { ReportFormat, ReportRenderer } from './renderer.ts';
import { textRenderer } from './text.ts';

export { buildReportModel, type ReportModel } from './model.ts';
export { folderOutput, unwritableReason } from './output.ts';
export type { ReportFormat, ReportOutput, ReportRenderer } from './renderer.ts';

export const RENDERERS: Readonly<Record<ReportFormat, ReportRenderer>> = {
  html: htmlRenderer,
  markdown: markdownRenderer,
  json: jsonRenderer,
  text: textRenderer,
};
