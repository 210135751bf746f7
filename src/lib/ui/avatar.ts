/**
 * The picture beside a name when the person chose none: their initials on a colour of their
 * own, the same on every device (from their user id, not their name, which can change).
 */

/** Up to two initials: the first letters of the first two words, else the first two letters. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/[\s._-]+/u).filter(Boolean);
  const letters = words.length >= 2 ? [words[0]!, words[1]!].map((w) => [...w][0]!) : [...(words[0] ?? '?')].slice(0, 2);
  return letters.join('').toUpperCase();
}

/** Saturation and lightness of every initials background: white on it is ≥ 5.3:1 on any hue (avatar.spec.ts). */
export const AVATAR_SATURATION = 55;
export const AVATAR_LIGHTNESS = 28;

/** The initials' background for `userId`. */
export function avatarBackground(userId: string): string {
  return `hsl(${hueOf(userId)} ${AVATAR_SATURATION}% ${AVATAR_LIGHTNESS}%)`;
}

/** A hue for `userId` (FNV-1a over its characters). */
export function hueOf(userId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) {
    hash ^= userId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % 360;
}

/** Where a user's avatar of this version is served (immutable per version). */
export function avatarUrl(userId: string, version: number): string {
  return `/api/users/${encodeURIComponent(userId)}/avatar?v=${version}`;
}
