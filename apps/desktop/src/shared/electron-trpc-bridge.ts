import type { Operation } from '@trpc/client';
import type { TRPCResponseMessage } from '@trpc/server/rpc';

/** trpc-electron's IPC channel name (its `ELECTRON_TRPC_CHANNEL`); the app uses no other channel. */
export const ELECTRON_TRPC_CHANNEL = 'trpc-electron';

/** The one object the preload exposes as `window.electronTRPC`, as trpc-electron's ipcLink expects it. */
export interface ElectronTrpcBridge {
  sendMessage: (
    message: { method: 'request'; operation: Operation } | { method: 'subscription.stop'; id: number },
  ) => void;
  onMessage: (callback: (message: TRPCResponseMessage) => void) => void;
}
