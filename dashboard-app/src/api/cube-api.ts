// Builds the official Cube client against this server's REST API, with the token from the token store.
import cube, { type CubeApi } from '@cubejs-client/core';

export const API_BASE = '/cubejs-api/v1';

export function createCubeApi(token: string): CubeApi {
  return cube(token, { apiUrl: `${window.location.origin}${API_BASE}` });
}
