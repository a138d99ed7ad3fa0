import type { Project } from './project.js';
import type { Violation } from './violation.js';

/** Longest a src/ file may be: one concept per file. */
export const MAX_LINES = 600;

/** Lines as an editor counts them: a final newline does not start another line. */
export function countLines(text: string): number {
  if (text.length === 0) return 0;
  let lines = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lines++;
  return text.endsWith('\n') ? lines - 1 : lines;
}

/** Rule `file-size`: a file over MAX_LINES lines is reported at its first line past the limit. */
export function checkFileSize(project: Project, maxLines: number = MAX_LINES): Violation[] {
  return project.files.flatMap((file): Violation[] => {
    const lines = countLines(file.sourceFile.text);
    if (lines <= maxLines) return [];
    return [
      {
        file: file.path,
        line: maxLines + 1,
        col: 1,
        rule: 'file-size',
        message: `${lines} lines, over the limit of ${maxLines}: split it into smaller modules`,
      },
    ];
  });
}
