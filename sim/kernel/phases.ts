/**
 * The phases that order events falling on the same microsecond; the one place they are defined.
 * Imports nothing.
 *
 * Events are ordered by (time, phase, seq). Within one instant:
 *  - RELEASE:  tasks end and give their resources back, so that the instant's allocation sees them;
 *  - ARRIVAL:  workload arrivals (jobs, agents, frameworks registering);
 *  - MESSAGE:  scheduler calls reaching the master (accept, decline, suppress, revive, rescinds);
 *  - ALLOCATE: allocation runs (periodic and triggered) and offer-filter expiries. These share
 *              one phase on purpose: Mesos fires equal-time timers in creation order, so a filter
 *              created before the next tick was armed expires before that tick runs, and one created
 *              after it still applies to it (Mesos tests OfferFilter and SmallOfferFilterTimeout).
 *  - OFFER:    offers reach schedulers, which answer at once unless they model decision time.
 *  - END:      the end-of-run marker.
 */
export const Phase = {
  RELEASE: 0,
  ARRIVAL: 1,
  MESSAGE: 2,
  ALLOCATE: 3,
  OFFER: 4,
  END: 5,
} as const;

/** One of the {@link Phase} values. */
export type Phase = (typeof Phase)[keyof typeof Phase];

/** Phase names by value, for messages. */
export const PHASE_NAMES: readonly string[] = ['release', 'arrival', 'message', 'allocate', 'offer', 'end'];
