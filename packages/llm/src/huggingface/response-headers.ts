/**
 * A fetch that remembers the headers of the last failed response. The SDK's HTTP errors keep the
 * status and body but drop the response headers, and with them `retry-after`; this wrapper only
 * watches what the SDK's own request returns, it changes nothing.
 */
export function headerRecordingFetch(base: typeof fetch | undefined): { fetch: typeof fetch; failedHeaders(): Headers | undefined } {
  let failed: Headers | undefined;
  const recording: typeof fetch = async (input, init) => {
    // Read the global at call time, so a fetch installed after the model was made is used.
    const response = await (base ?? globalThis.fetch)(input, init);
    if (!response.ok) failed = response.headers;
    return response;
  };
  return { fetch: recording, failedHeaders: () => failed };
}
