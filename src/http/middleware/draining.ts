import type { NextFunction, Request, Response } from 'express';
import { GatewayError } from '../../errors/gateway-error.js';

export interface DrainState {
  draining: boolean;
}

/** While shutting down, new requests are refused (503) and their connections closed. */
export function refuseWhileDraining(state: DrainState) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    if (!state.draining) return next();
    res.setHeader('Connection', 'close');
    next(new GatewayError('SHUTTING_DOWN'));
  };
}
