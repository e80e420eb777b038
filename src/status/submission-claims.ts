import { GatewayError } from '../errors/gateway-error.js';
import type { StatusView } from './status-view.js';

export interface SubmissionClaimsDeps {
  view: Pick<StatusView, 'get'>;
  /** False while the view is being rebuilt: it cannot yet say which ids are taken. */
  isReady: () => boolean;
}

/** Takes a submission id for the length of one /submit-code call; the returned function lets it go. */
export type ClaimSubmission = (id: string) => () => void;

/**
 * A submission id is the gateway's own: once a submission exists under an id, no request (of any
 * client, its owner's included) may submit under it again, or a second `queued` would reset its
 * status, a second message would reach the workers under its id, and a run of them would push its
 * real history out of the view. An id is taken while this replica's status view knows it (every
 * replica reads the whole status topic) or while a /submit-code call holds it here (two concurrent
 * calls with one X-Request-Id). The refusal is 409 SUBMISSION_EXISTS, the same whoever owns the id.
 */
export function createSubmissionClaims(deps: SubmissionClaimsDeps): ClaimSubmission {
  const held = new Set<string>();
  return (id) => {
    if (!deps.isReady()) throw new GatewayError('STATUS_NOT_READY');
    if (held.has(id) || deps.view.get(id) !== undefined) {
      throw new GatewayError('SUBMISSION_EXISTS', undefined, { info: { request_id: id } });
    }
    held.add(id);
    return () => void held.delete(id);
  };
}
