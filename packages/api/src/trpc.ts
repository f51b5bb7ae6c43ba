import { isUserError } from '@consent-mailer/policy';
import { initTRPC } from '@trpc/server';
import { ZodError, z } from 'zod';
import type { ApiContext } from './context.js';
import { describeInputError } from './input-errors.js';

/**
 * tRPC setup. Errors reach clients with `data.userError` ({ code, text: { en, nl } }) when a user can act
 * on them, and with a flattened zod error when the input was invalid, so the CLI and the UI can show the
 * exact field.
 */
const t = initTRPC.context<ApiContext>().create({
  isServer: true,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return {
      ...shape,
      data: {
        ...shape.data,
        userError: isUserError(cause)
          ? { code: cause.code, text: cause.text }
          : cause instanceof ZodError
            ? { code: 'INVALID_INPUT', text: describeInputError(cause) }
            : null,
        zodError: cause instanceof ZodError ? z.flattenError(cause) : null,
      },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure;
