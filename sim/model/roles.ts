/**
 * Role paths ('eng', 'eng/batch'): how one role relates to another. A shared leaf: imports nothing,
 * and every folder may import it.
 */

/** '/', the separator of a role path's segments. */
const SLASH = 47;

/**
 * Whether resources reserved for role `owner` may be offered to a framework of role `role`: the
 * same role or a descendant of it (Mesos `Resources::isAllocatableTo`; 'eng/batch' may have what
 * 'eng' reserved, 'engineering' may not).
 */
export function allocatableTo(owner: string, role: string): boolean {
  return role === owner || (role.length > owner.length && role.charCodeAt(owner.length) === SLASH && role.startsWith(owner));
}

/** The parent of role path `role` ('eng' for 'eng/batch'), or undefined for a top-level role. */
export function parentRole(role: string): string | undefined {
  const cut = role.lastIndexOf('/');
  return cut < 0 ? undefined : role.slice(0, cut);
}
