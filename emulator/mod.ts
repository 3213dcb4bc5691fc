/**
 * The Gmail API + Google OAuth emulator: `createEmulator` (in-process) and
 * `startEmulator` (real HTTP).
 * @module
 */
export { createEmulator } from "./emulator.ts";
export type { Emulator, EmulatorOptions } from "./emulator.ts";
export { startEmulator } from "./server.ts";
export { CONTROL_SECRET_HEADER } from "./control_guard.ts";
export type { RunningEmulator, StartOptions } from "./server.ts";
export type { EmulatorState } from "./state.ts";
