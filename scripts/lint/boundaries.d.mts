/** Types for boundaries.mjs (plain JavaScript so ESLint's and dependency-cruiser's configs can load it). */
export type Access = 'any' | 'type' | 'none';
export declare const BOUNDARIES: Readonly<Record<string, Readonly<Record<string, Access>>>>;
