/**
 * An application's outstanding resource requests, per priority and resource name, with Hadoop's
 * bookkeeping (LocalityAppPlacementAllocator in
 * hadoop-yarn-server-resourcemanager/.../scheduler/placement/, and AppSchedulingInfo):
 * - an AM's request replaces the one with the same (priority, resource name), even one asking 0;
 * - a container node-local to host h on rack r takes one from h's request, r's and ANY's;
 *   rack-local, from r's and ANY's; off-switch, from ANY's only; a host or rack request that
 *   reaches 0 is dropped;
 * - when ANY's count reaches 0 the priority has nothing outstanding: ANY's request is dropped and
 *   the priority leaves the application's keys (the other names' requests stay as they were, stale,
 *   until the AM asks again), so the scheduler stops visiting it;
 * - the number of distinct location asks of a priority (the CapacityScheduler's L) is the number
 *   of requests held, those asking 0 included.
 * Imports the port and model types only.
 */
import { ANY, type ResourceAsk, type YarnLocality } from '../../sim/model/yarn-port.js';
import type { ResourceVector } from '../../sim/model/resources.js';

/** One held request. */
export interface HeldAsk {
  /** normalised capability (the scheduler's calculator applied) */
  readonly capability: ResourceVector;
  numContainers: number;
  readonly relaxLocality: boolean;
}

/** The requests of one application, by priority (lower first) and resource name. */
export class AppAsks {
  private readonly byPriority = new Map<number, Map<string, HeldAsk>>();
  /** priorities with an outstanding ANY request, ascending (the order a scheduler visits them) */
  private keys: number[] = [];

  /**
   * The AM's requests of one allocate call, each replacing its (priority, resourceName); the
   * capability is normalised by `normalise` (which returns a new vector).
   */
  update(asks: readonly ResourceAsk[], normalise: (ask: ResourceVector) => ResourceVector): void {
    for (const a of asks) {
      let m = this.byPriority.get(a.priority);
      if (m === undefined) {
        m = new Map();
        this.byPriority.set(a.priority, m);
      }
      m.set(a.resourceName, { capability: normalise(a.capability), numContainers: a.numContainers, relaxLocality: a.relaxLocality });
    }
    this.rekey();
  }

  /** The priorities with containers outstanding (ANY asks more than 0), lowest number first. */
  priorities(): readonly number[] {
    return this.keys;
  }

  /** The request for `name` at `priority`, or undefined. */
  get(priority: number, name: string): HeldAsk | undefined {
    return this.byPriority.get(priority)?.get(name);
  }

  /** Containers still wanted at `priority` (ANY's count; 0 when none). */
  outstanding(priority: number): number {
    return this.get(priority, ANY)?.numContainers ?? 0;
  }

  /** Containers still wanted over every priority. */
  totalOutstanding(): number {
    let n = 0;
    for (const p of this.keys) n += this.outstanding(p);
    return n;
  }

  /** Requests held at `priority`, those asking 0 included (Hadoop getUniqueLocationAsks). */
  uniqueLocationAsks(priority: number): number {
    return this.byPriority.get(priority)?.size ?? 0;
  }

  /**
   * Whether a container of `priority` may go to a node `host` on `rack` at locality `type`: ANY
   * asks more than 0, and for rack-local the rack's request does, and for node-local the host's
   * request does too (Hadoop canAllocate).
   */
  canAllocate(priority: number, type: YarnLocality, host: string, rack: string): boolean {
    const m = this.byPriority.get(priority);
    if (m === undefined) return false;
    if (!((m.get(ANY)?.numContainers ?? 0) > 0)) return false;
    if (type === 'off-switch') return true;
    if (!((m.get(rack)?.numContainers ?? 0) > 0)) return false;
    return type === 'rack-local' || (m.get(host)?.numContainers ?? 0) > 0;
  }

  /** Whether a container of `priority` may go less local than `name` (no request there, or it relaxes). */
  canDelayTo(priority: number, name: string): boolean {
    const r = this.get(priority, name);
    return r === undefined || r.relaxLocality;
  }

  /**
   * One container of `priority` was allocated at locality `type` on `host` of `rack` (which
   * {@link canAllocate} allowed): the counts go down as Hadoop's allocateNodeLocal,
   * allocateRackLocal and allocateOffSwitch take them.
   */
  allocate(priority: number, type: YarnLocality, host: string, rack: string): void {
    const m = this.byPriority.get(priority);
    if (m === undefined || !this.canAllocate(priority, type, host, rack)) {
      throw new Error(`allocated a ${type} container of priority ${priority} on ${host} (${rack}) that no request asks for`);
    }
    if (type === 'node-local') this.dec(m, host);
    if (type !== 'off-switch') this.dec(m, rack);
    const any = m.get(ANY)!;
    any.numContainers--;
    if (any.numContainers === 0) {
      m.delete(ANY);
      if (m.size === 0) this.byPriority.delete(priority);
      this.rekey();
    }
  }

  private dec(m: Map<string, HeldAsk>, name: string): void {
    const r = m.get(name)!;
    r.numContainers--;
    if (r.numContainers === 0) m.delete(name);
  }

  private rekey(): void {
    const keys: number[] = [];
    for (const [p, m] of this.byPriority) if ((m.get(ANY)?.numContainers ?? 0) > 0) keys.push(p);
    this.keys = keys.sort((a, b) => a - b);
  }
}
