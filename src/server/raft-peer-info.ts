/** One member as `roster operator raft list-peers` shows it. */
export interface RaftPeerInfo {
  readonly name: string;
  readonly memberId: string;
  readonly peerAddr: string;
  readonly clientAddr: string;
  readonly membership: 'voter' | 'learner' | 'leaving';
  readonly leader: boolean;
  readonly matchIndex: number;
  readonly lastContactMs: number;
  readonly replication: string;
  /** InstallSnapshot failures to it in a row, the last one's error and how long ago (-1: none). */
  readonly snapshotFailures: number;
  readonly lastSnapshotError: string;
  readonly lastSnapshotFailureMs: number;
}
