import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { DesktopRouter } from '../../shared/host-router.js';

/** The typed tRPC hooks of the renderer: `useTRPC()` gives query and mutation options for every procedure. */
export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<DesktopRouter>();
