/**
 * The sandboxed preload: exposes exactly the trpc-electron bridge (`window.electronTRPC`) and nothing else.
 * It is bundled into one self-contained CommonJS file because a sandboxed preload cannot load modules.
 * The bridge mirrors trpc-electron's own `exposeElectronTRPC`, written out so its surface is checked here
 * with `satisfies` and the raw ipcRenderer (with its event object) never reaches the page.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { ELECTRON_TRPC_CHANNEL, type ElectronTrpcBridge } from '../shared/electron-trpc-bridge.js';

const bridge = {
  sendMessage: (operation) => ipcRenderer.send(ELECTRON_TRPC_CHANNEL, operation),
  onMessage: (callback) => {
    ipcRenderer.on(ELECTRON_TRPC_CHANNEL, (_event, message: Parameters<typeof callback>[0]) =>
      callback(message),
    );
  },
} satisfies ElectronTrpcBridge;

contextBridge.exposeInMainWorld('electronTRPC', bridge);
