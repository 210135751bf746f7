/**
 * Largest JSON request body the API reads: the biggest real one (a push subscription) is
 * under 1 KiB. The server refuses a larger declared Content-Length with 413 before reading
 * it; `readBody` stops a chunked body at the same size.
 */
export const MAX_JSON_BODY_BYTES = 64 * 1024;
