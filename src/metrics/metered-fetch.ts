import type { Metrics, OutsideService } from './metrics';

/**
 * A fetch that counts each call to an outside service by status and times it. Only the service
 * name and the status are recorded: never the URL, which can hold ids, searches or a response_url.
 */
export function createMeteredFetch(
  fetchFn: typeof fetch,
  service: OutsideService,
  metrics: Pick<Metrics, 'outsideCall'>,
): typeof fetch {
  return async (input, init) => {
    const started = performance.now();
    try {
      const response = await fetchFn(input, init);
      metrics.outsideCall(service, response.status, (performance.now() - started) / 1000);
      return response;
    } catch (error) {
      metrics.outsideCall(service, 'error', (performance.now() - started) / 1000);
      throw error;
    }
  };
}
