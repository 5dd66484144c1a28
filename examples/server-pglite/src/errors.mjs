/** An error reply as a value: `{ error: { code, message, retryable, ...extras } }` with its status. */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {string} message
   * @param {Record<string, unknown>} [extras] fields beside code/message/retryable (serverData, limit, …)
   * @param {Record<string, string>} [headers] extra reply headers (allow, retry-after, …)
   */
  constructor(status, code, message, extras = {}, headers = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.extras = extras;
    this.headers = headers;
  }

  get retryable() {
    return this.status === 429 || this.status === 503;
  }

  payload() {
    return { error: { code: this.code, message: this.message, retryable: this.retryable, ...this.extras } };
  }
}

export const badRequest = (message) => new ApiError(400, 'BAD_REQUEST', message);
export const notFound = (message) => new ApiError(404, 'NOT_FOUND', message);
