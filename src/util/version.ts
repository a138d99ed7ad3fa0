/** Roster's version, as members tell each other in gossip. */
export const VERSION = '0.3.0';
