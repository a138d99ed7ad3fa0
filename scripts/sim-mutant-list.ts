/** The planted bugs of `npm run sim:mutants`: each an edit of the code the simulator runs. */
export interface Mutant {
  readonly name: string;
  readonly bug: string;
  readonly edits: readonly { file: string; find: string; replace: string }[];
}

export const MUTANTS: readonly Mutant[] = [
  {
    name: 'commit-previous-term',
    bug: '(a) count replicas of previous-term entries for commit (no Figure 8 rule)',
    edits: [
      {
        file: 'src/raft/replication.ts',
        find: 'if (mci <= r.log.committed || r.log.term(mci) !== r.term) return false;',
        replace: 'if (mci <= r.log.committed) return false;',
      },
    ],
  },
  {
    name: 'two-votes-per-term',
    bug: '(b) grant a vote to every candidate with an up-to-date log, even after voting in that term',
    edits: [
      {
        file: 'src/raft/election.ts',
        find: 'const canVote = r.vote === m.from ||',
        replace: 'const canVote = true ||',
      },
    ],
  },
  {
    name: 'skip-log-check',
    bug: '(c) grant votes without checking that the candidate log is at least as up-to-date',
    edits: [
      {
        file: 'src/raft/election.ts',
        find: 'if (canVote && r.log.isUpToDate(m.index, m.logTerm)) {',
        replace: 'if (canVote) {',
      },
    ],
  },
  {
    name: 'ack-before-persist',
    bug: '(d) send the Ready messages (vote grants, append acknowledgements) before the write is durable',
    edits: [
      {
        file: 'test/sim/sim-node.ts',
        find: '    // 2. Send.\n    for (const m of rd.messages) if (!(this.sentEarly && mayLeaveBeforePersist(m))) this.host.send(m);\n',
        replace: '',
      },
      {
        file: 'test/sim/sim-node.ts',
        find: '    this.writing = true;\n',
        replace: '    for (const m of rd.messages) host.send(m);\n    this.writing = true;\n',
      },
    ],
  },
  {
    name: 'conf-change-before-own-commit',
    bug: '(e) let a new leader change membership before it has committed an entry of its term',
    edits: [
      {
        file: 'src/raft/raft.ts',
        find: 'if (this.log.term(this.log.committed) !== this.term) {',
        replace: 'if (false) {',
      },
    ],
  },
  {
    name: 'two-pending-conf-changes',
    bug: '(f) allow a second membership change while one is uncommitted',
    edits: [
      {
        file: 'src/raft/raft.ts',
        find: 'if (this.confs.currentIndex() > this.log.committed) {',
        replace: 'if (false) {',
      },
    ],
  },
  // Bugs in the server's own RaftDriver, caught by the production-driver runs (test/sim/server).
  {
    name: 'driver-ack-before-fsync',
    bug: '(g) the driver sends a Ready\'s messages (votes, append acknowledgements) before its write is durable',
    edits: [
      {
        file: 'src/server/raft-driver.ts',
        find: "const early = node.role === 'leader' ? rd.messages.filter(mayLeaveBeforePersist) : [];",
        replace: 'const early = rd.messages.slice();',
      },
      {
        file: 'src/server/raft-driver.ts',
        find: 'this.d.send(early.length > 0 ? rd.messages.filter((m) => !mayLeaveBeforePersist(m)) : rd.messages);',
        replace: '',
      },
    ],
  },
  {
    name: 'driver-apply-before-commit',
    bug: '(h) the driver applies the entries it appends, before they are committed',
    edits: [
      {
        file: 'src/server/raft-driver.ts',
        find: 'if (rd.committedEntries.length > 0) this.d.apply.enqueue(rd.committedEntries);',
        replace: 'if (rd.entries.length > 0) this.d.apply.enqueue(rd.entries);',
      },
    ],
  },
  {
    name: 'driver-skip-fsync',
    bug: '(i) the driver never asks for an fsync (acknowledged entries sit in the page cache)',
    edits: [
      {
        file: 'src/server/raft-driver.ts',
        find: "await this.durably('persist', () => storage.persist(write, rd.mustSync));",
        replace: "await this.durably('persist', () => storage.persist(write, false));",
      },
    ],
  },
  // Bugs in the server's Applier, caught by the production-driver runs through its state checks.
  {
    name: 'applier-compact-without-sync',
    bug: '(j) the Applier lets the Raft log be compacted without first syncing the state (a power loss then loses applied entries the log no longer has)',
    edits: [
      {
        file: 'src/server/applier.ts',
        find: `this.d.state
        .sync()`,
        replace: 'Promise.resolve()',
      },
    ],
  },
];
