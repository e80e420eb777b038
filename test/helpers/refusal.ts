import { GatewayError } from '../../src/errors/gateway-error.js';

/** The GatewayError `fn` throws; anything else thrown is rethrown, and no throw at all fails the test. */
export function refusal(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}
