/** Remembers the platform requests already taken, so that one that arrives twice is handled once. */
export interface ReplayGuard {
  /** True the first time `requestId` is seen (within the guard's memory), false every time after. */
  firstSeen(requestId: string): Promise<boolean>;
}
