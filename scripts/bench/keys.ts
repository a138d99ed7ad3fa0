/** The benchmark's keyspace: every system's puts and gets pick uniformly among these keys. */
export const KEYS = 100_000;

export const benchKey = (i: number): string => `bench/${String(i).padStart(6, '0')}`;
