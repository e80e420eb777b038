import type { PathsObject } from 'openapi3-ts/oas31';
import type { DocumentContext } from '../context.js';

export function restProxyV2Paths(_ctx: DocumentContext): PathsObject {
  return {};
}
