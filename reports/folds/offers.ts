/**
 * The offers fold: offers sent, answered (accepted, declined) or rescinded, how long they were
 * held, the share of offered resources declined, per framework, and the allocation runs. Imports
 * only the log's types, the kernel's IntMap and reports' vocabulary.
 */
import { IntMap } from '../../sim/kernel/int-map.js';
import { NR, RESOURCE_NAMES, perResource, type PerResource } from '../vocabulary.js';
import { grown } from '../../sim/kernel/packed.js';
import { LogInvariantError } from './log-invariant.js';

/** The offers fold's part of the summary. */
export interface OffersSummary {
  /** offers sent */
  readonly offersSent: number;
  /** offers accepted (in part or whole) */
  readonly offersAccepted: number;
  /** offers declined whole */
  readonly offersDeclined: number;
  /** offers rescinded by the master */
  readonly offersRescinded: number;
  /** offers still unanswered at the end of the log */
  readonly offersOutstanding: number;
  /** mean time from offer_sent to its accept, decline or rescind, us; NaN when none was answered */
  readonly offerHeldMean: number;
  /** mean over resources with offered > 0 of {@link offersDeclinedShareByResource}; NaN if none */
  readonly offersDeclinedShare: number;
  /** per resource: declined / offered, summed over accepted and declined offers; NaN where nothing was offered */
  readonly offersDeclinedShareByResource: PerResource;
  /** allocation_run records */
  readonly allocationRuns: number;
}

/** The offers fold's part of a framework's row. */
export interface OffersFrameworkRow {
  /** offers sent to it */
  readonly offersSent: number;
  /** offers it accepted */
  readonly offersAccepted: number;
  /** offers it declined whole */
  readonly offersDeclined: number;
  /** its offers the master rescinded */
  readonly offersRescinded: number;
}

/** Slots per framework in the offer-counter array: sent, accepted, declined, rescinded. */
const OFFER_SENT = 0;
const OFFER_ACCEPTED = 1;
const OFFER_DECLINED = 2;
const OFFER_RESCINDED = 3;
const COUNTERS = 4;

/**
 * Live offers by id, each in a slot of packed arrays. Held time runs from offer_sent to accept,
 * decline or rescind (offers still held at the end are outstanding, not in the mean). Declined
 * share per resource = declined / offered over accepted and declined offers, where an accepted
 * offer's unused part counts as declined; rescinded offers were never answered and count in
 * neither. The scalar is the unweighted mean over resources offered at all, so that no resource
 * dominates by its unit.
 */
export class OffersFold {
  private readonly liveOffers = new IntMap(256);
  private offerSentAt = new Float64Array(0);
  private offerRes = new Float64Array(0);
  private offerFw = new Int32Array(0);
  /** offer slots allocated (the arrays' length); at least twice the live offers */
  private offerSlots = 0;
  /** 1 for an offer slot in use */
  private offerUsed = new Uint8Array(0);
  /**
   * where the search for a free offer slot starts (next fit): a run's offers take slots in the
   * order they were sent, skipping offers still live, so answering them walks the arrays in order
   * instead of at random. Back to 0 when no offer is live.
   */
  private offerCursor = 0;
  private offersSent = 0;
  private offersAccepted = 0;
  private offersDeclined = 0;
  private offersRescinded = 0;
  private heldSum = 0;
  private heldN = 0;
  private readonly answeredOffered = new Float64Array(NR);
  private readonly answeredDeclined = new Float64Array(NR);
  private allocationRuns = 0;
  private fwOffers = new Float64Array(0); // COUNTERS per framework

  /** Makes room for framework ids 0 to n - 1. */
  frameworks(n: number): void {
    this.fwOffers = grown(this.fwOffers, n * COUNTERS);
  }

  /** offer_sent of `offer` to (checked) framework `f`, offering res[ro..ro+NR). */
  sent(offer: number, f: number, res: ArrayLike<number>, ro: number, t: number, kind: string): void {
    if (!Number.isSafeInteger(offer) || offer < 0) throw new LogInvariantError(`bad offer id ${offer}`, t, kind);
    const s = this.offerSlot();
    if (!this.liveOffers.add(offer, s)) {
      this.offerUsed[s] = 0;
      throw new LogInvariantError(`offer ${offer} sent twice`, t, kind);
    }
    this.offerSentAt[s] = t;
    this.offerFw[s] = f;
    for (let i = 0; i < NR; i++) this.offerRes[s * NR + i] = res[ro + i]!;
    this.offersSent++;
    this.fwOffers[f * COUNTERS + OFFER_SENT]!++;
  }

  /** offer_accepted of `offer` by framework `f`, using used[uo..uo+NR) of it. */
  accepted(offer: number, f: number, used: ArrayLike<number>, uo: number, t: number, kind: string): void {
    const s = this.answer(offer, f, t, kind);
    const o = s * NR;
    for (let i = 0; i < NR; i++) {
      const offered = this.offerRes[o + i]!;
      const rest = offered - used[uo + i]!;
      if (rest < 0) throw new LogInvariantError(`offer ${offer} used more ${RESOURCE_NAMES[i]} than offered`, t, kind);
      this.answeredOffered[i]! += offered;
      this.answeredDeclined[i]! += rest;
    }
    this.offersAccepted++;
    this.fwOffers[f * COUNTERS + OFFER_ACCEPTED]!++;
  }

  /** offer_declined of `offer` by framework `f`. */
  declined(offer: number, f: number, t: number, kind: string): void {
    const s = this.answer(offer, f, t, kind);
    const o = s * NR;
    for (let i = 0; i < NR; i++) {
      const offered = this.offerRes[o + i]!;
      this.answeredOffered[i]! += offered;
      this.answeredDeclined[i]! += offered;
    }
    this.offersDeclined++;
    this.fwOffers[f * COUNTERS + OFFER_DECLINED]!++;
  }

  /** offer_rescinded of framework f's `offer`. */
  rescinded(offer: number, f: number, t: number, kind: string): void {
    this.answer(offer, f, t, kind);
    this.offersRescinded++;
    this.fwOffers[f * COUNTERS + OFFER_RESCINDED]!++;
  }

  /** An allocation_run record. */
  allocationRun(): void {
    this.allocationRuns++;
  }

  /** The offers fold's part of framework f's row. */
  frameworkRow(f: number): OffersFrameworkRow {
    const o = f * COUNTERS;
    return {
      offersSent: this.fwOffers[o + OFFER_SENT]!,
      offersAccepted: this.fwOffers[o + OFFER_ACCEPTED]!,
      offersDeclined: this.fwOffers[o + OFFER_DECLINED]!,
      offersRescinded: this.fwOffers[o + OFFER_RESCINDED]!,
    };
  }

  /** The offers fold's part of the summary. */
  summary(): OffersSummary {
    const declinedBy = perResource((i) => (this.answeredOffered[i]! > 0 ? this.answeredDeclined[i]! / this.answeredOffered[i]! : NaN));
    let declinedSum = 0;
    let declinedN = 0;
    for (const x of declinedBy) {
      if (!Number.isNaN(x)) {
        declinedSum += x;
        declinedN++;
      }
    }
    return {
      offersSent: this.offersSent,
      offersAccepted: this.offersAccepted,
      offersDeclined: this.offersDeclined,
      offersRescinded: this.offersRescinded,
      offersOutstanding: this.liveOffers.size,
      offerHeldMean: this.heldN > 0 ? this.heldSum / this.heldN : NaN,
      offersDeclinedShare: declinedN > 0 ? declinedSum / declinedN : NaN,
      offersDeclinedShareByResource: declinedBy,
      allocationRuns: this.allocationRuns,
    };
  }

  /** Closes an offer answered (or rescinded) at t; returns its slot, already freed for reuse. */
  private answer(offer: number, fwId: number, t: number, kind: string): number {
    const s = this.liveOffers.take(offer);
    if (s < 0) throw new LogInvariantError(`offer ${offer} is not outstanding`, t, kind);
    if (this.offerFw[s] !== fwId) {
      this.liveOffers.set(offer, s);
      throw new LogInvariantError(`offer ${offer} was sent to framework ${this.offerFw[s]}, not ${fwId}`, t, kind);
    }
    this.heldSum += t - this.offerSentAt[s]!;
    this.heldN++;
    this.offerUsed[s] = 0;
    if (this.liveOffers.size === 0) this.offerCursor = 0;
    return s;
  }

  private offerSlot(): number {
    if ((this.liveOffers.size + 1) * 2 > this.offerSlots) {
      const n = Math.max(16, this.offerSlots * 2);
      this.offerSentAt = grown(this.offerSentAt, n);
      this.offerRes = grown(this.offerRes, n * NR);
      this.offerFw = grown(this.offerFw, n);
      this.offerUsed = grown(this.offerUsed, n);
      this.offerSlots = n;
    }
    const used = this.offerUsed;
    const last = this.offerSlots - 1;
    let s = this.offerCursor;
    while (used[s] !== 0) s = s === last ? 0 : s + 1;
    used[s] = 1;
    this.offerCursor = s === last ? 0 : s + 1;
    return s;
  }
}
