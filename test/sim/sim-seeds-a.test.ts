import { describe } from 'vitest';
import { sweepSeeds } from './sweep.js';

// The seed sweep of `npm test`, split in two files so both cores run seeds in parallel.
describe('simulator seeds 1-250', () => sweepSeeds(1, 250));
