/**
 * The sorters: policies that only answer "in which order do clients get resources" (Mesos
 * `sorter/sorter.hpp`). sorter.ts is the seam (a sort, and a best-first walk of client handles);
 * registry.ts lists every sorter by name; share-sorter.ts (with drf-sorter.ts, rank-heap.ts and
 * client-tree.ts) ranks by weighted shares, random-sorter.ts by weighted random draws,
 * fifo-sorter.ts by arrival; list-walk.ts walks a listed order. Imports only allocator modules,
 * resource helpers and types; no clock, no queue, no I/O.
 */
export type { Sorter, SorterOptions, Walk } from './sorter.js';
export { createSorter, getSorter, listSorters, type SorterEntry, type SorterKind } from './registry.js';
export { DrfSorter } from './drf-sorter.js';
export { RandomSorter, weightedShuffle } from './random-sorter.js';
export { FifoSorter } from './fifo-sorter.js';
export { SHARE_FUNCTIONS, ShareSorter, fairnessMask, type ShareFunction, type ShareOf, type ShareSorterOptions } from './share-sorter.js';
