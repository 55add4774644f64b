export * from "./archives";
export * from "./client";
export * from "./disks";
export * from "./errors";
export * from "./retry";
export * from "./servers";
export * from "./switches";
export type * from "./types";
export * from "./wait";
