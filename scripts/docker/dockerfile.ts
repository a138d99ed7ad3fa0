/**
 * The subset of Dockerfile syntax Roster's Dockerfile uses, parsed into steps: FROM (with AS),
 * WORKDIR, ENV, COPY (with --from), RUN, ENTRYPOINT and CMD (exec or shell form); EXPOSE,
 * LABEL and ARG are recorded as no-ops. Anything else is an error, so a replay never skips a
 * step silently.
 */
export type Step =
  | { readonly kind: 'from'; readonly image: string; readonly as: string | undefined; readonly line: number }
  | { readonly kind: 'workdir'; readonly path: string; readonly line: number }
  | { readonly kind: 'env'; readonly vars: Readonly<Record<string, string>>; readonly line: number }
  | { readonly kind: 'copy'; readonly from: string | undefined; readonly sources: readonly string[]; readonly dest: string; readonly line: number }
  | { readonly kind: 'run'; readonly command: readonly string[]; readonly line: number }
  | { readonly kind: 'entrypoint' | 'cmd'; readonly argv: readonly string[]; readonly line: number }
  | { readonly kind: 'noop'; readonly instruction: string; readonly line: number };

/** JSON exec form (["a", "b"]) or shell form (run by /bin/sh -c). */
function commandOf(rest: string, line: number): string[] {
  if (rest.startsWith('[')) {
    const argv: unknown = JSON.parse(rest);
    if (!Array.isArray(argv) || !argv.every((a) => typeof a === 'string')) throw new Error(`Dockerfile:${line}: exec form must be a JSON array of strings`);
    return argv;
  }
  return ['/bin/sh', '-c', rest];
}

export function parseDockerfile(text: string): Step[] {
  const steps: Step[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let logical = lines[i]!;
    while (logical.trimEnd().endsWith('\\') && i + 1 < lines.length) logical = `${logical.trimEnd().slice(0, -1)} ${lines[++i]!.trim()}`;
    const trimmed = logical.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const space = trimmed.search(/\s/);
    const instruction = (space < 0 ? trimmed : trimmed.slice(0, space)).toUpperCase();
    const rest = space < 0 ? '' : trimmed.slice(space).trim();
    const words = rest.split(/\s+/).filter((w) => w !== '');
    switch (instruction) {
      case 'FROM':
        steps.push({ kind: 'from', image: words[0]!, as: words[1]?.toUpperCase() === 'AS' ? words[2] : undefined, line: start });
        break;
      case 'WORKDIR':
        steps.push({ kind: 'workdir', path: rest, line: start });
        break;
      case 'ENV': {
        const vars: Record<string, string> = {};
        if (words.every((w) => w.includes('='))) for (const w of words) vars[w.slice(0, w.indexOf('='))] = w.slice(w.indexOf('=') + 1);
        else vars[words[0]!] = rest.slice(words[0]!.length).trim();
        steps.push({ kind: 'env', vars, line: start });
        break;
      }
      case 'COPY': {
        const flags = words.filter((w) => w.startsWith('--'));
        const paths = words.filter((w) => !w.startsWith('--'));
        if (paths.length < 2) throw new Error(`Dockerfile:${start}: COPY needs a source and a destination`);
        const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
        steps.push({ kind: 'copy', from, sources: paths.slice(0, -1), dest: paths[paths.length - 1]!, line: start });
        break;
      }
      case 'RUN':
        steps.push({ kind: 'run', command: commandOf(rest, start), line: start });
        break;
      case 'ENTRYPOINT':
      case 'CMD':
        steps.push({ kind: instruction === 'CMD' ? 'cmd' : 'entrypoint', argv: commandOf(rest, start), line: start });
        break;
      case 'EXPOSE':
      case 'LABEL':
      case 'ARG':
        steps.push({ kind: 'noop', instruction, line: start });
        break;
      default:
        throw new Error(`Dockerfile:${start}: ${instruction} is not supported by the replay (scripts/docker/dockerfile.ts)`);
    }
  }
  return steps;
}
