// A report format renders the model to an output: files in a folder, standard output, or both. (Not contracts'
// `Reporter`, whose hooks follow cases while they run; a renderer reads a store afterwards.)
import type { ReportModel } from './model.ts';

export type ReportFormat = 'html' | 'markdown' | 'json' | 'text';

export interface ReportOutput {
  /** Whether there is an output folder to write to. */
  readonly hasFolder: boolean;
  /** Writes `name`, a path relative to the output folder, creating its folders. */
  write(name: string, text: string): void;
  /** Whether `name` is already in the output folder: links to files made by others (repro scripts). */
  exists(name: string): boolean;
  /** Standard output. */
  print(text: string): void;
}

export interface ReportRenderer {
  readonly format: ReportFormat;
  /** 'required': it writes files; 'optional': it prints, and writes too when given a folder; 'unused': it prints. */
  readonly folder: 'required' | 'optional' | 'unused';
  render(model: ReportModel, out: ReportOutput): void;
}
