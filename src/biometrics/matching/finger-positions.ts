/**
 * Which gallery fingers a probe finger is compared with: those of its own position (1–10) and
 * those whose position is unknown (0); a probe finger of unknown position, with every one.
 */
export function compatible(probePosition: number, galleryPosition: number): boolean {
  return probePosition === 0 || galleryPosition === 0 || probePosition === galleryPosition;
}

/** The bit of a finger position in a mask of positions. */
export function positionBit(position: number): number {
  return 1 << position;
}

/** The mask of gallery positions a probe finger is compared with, as `compatible` says. */
export function positionsReached(probePosition: number): number {
  return probePosition === 0 ? -1 : positionBit(probePosition) | positionBit(0);
}
