import type { LintFile, Project, ResolvedRef } from './project.js';
import { violationAt, type Violation } from './violation.js';

/**
 * The strongly connected components of a directed graph that contain a cycle: those of two or
 * more nodes, and single nodes with an edge to themselves. Tarjan's algorithm, iterative so a
 * deep import chain cannot overflow the stack. Each component is sorted; the list is sorted by
 * first node.
 */
export function cyclicComponents(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];

  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    const frames: Array<{ node: string; next: number }> = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const edges = graph.get(frame.node) ?? [];
      if (frame.next < edges.length) {
        const to = edges[frame.next++]!;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          frames.push({ node: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent !== undefined) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const selfLoop = component.length === 1 && edges.includes(frame.node);
        if (component.length > 1 || selfLoop) components.push(component.sort());
      }
    }
  }
  return components.sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

/** A shortest path start -> ... -> start inside `members` (breadth-first), as the list of nodes with start at both ends. */
export function shortestCycle(graph: ReadonlyMap<string, readonly string[]>, start: string, members: ReadonlySet<string>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    for (const to of graph.get(node) ?? []) {
      if (!members.has(to)) continue;
      if (to === start) {
        const path = [start];
        for (let at: string | undefined = node; at !== start && at !== undefined; at = previous.get(at)) path.push(at);
        path.push(start);
        return path.reverse();
      }
      if (!previous.has(to)) {
        previous.set(to, node);
        queue.push(to);
      }
    }
  }
  return [start, start];
}

/**
 * Generated protobuf types mirror the schema, and a recursive message (etcd's TxnRequest holds
 * RequestOps that hold TxnRequests) is a type-only cycle nobody can remove.
 */
const GENERATED = /^src\/gen\//;

/**
 * Rule `cycle`: no import cycle among src/ files, counting every import (type-only too).
 * Each cycle (strongly connected component) is reported once, at the import that starts a
 * shortest loop from its first file, listing that loop and every file caught in the component.
 */
export function checkCycles(project: Project): Violation[] {
  const graph = new Map<string, string[]>();
  const byPath = new Map<string, LintFile>();
  for (const file of project.files) {
    if (GENERATED.test(file.path)) continue;
    byPath.set(file.path, file);
    const targets = file.imports.flatMap((ref) => (ref.targetFile !== undefined ? [ref.targetFile.path] : []));
    graph.set(file.path, [...new Set(targets)]);
  }
  return cyclicComponents(graph).map((component) => {
    const start = component[0]!;
    const loop = shortestCycle(graph, start, new Set(component));
    const file = byPath.get(start)!;
    const firstHop = loop[1];
    const ref: ResolvedRef | undefined = file.imports.find((r) => r.targetFile?.path === firstHop);
    let message = `import cycle: ${loop.join(' -> ')}`;
    if (component.length > loop.length - 1) message += ` (all entangled: ${component.join(', ')})`;
    return ref !== undefined
      ? violationAt(file.sourceFile, file.path, ref.node, 'cycle', message)
      : { file: file.path, line: 1, col: 1, rule: 'cycle', message };
  });
}
