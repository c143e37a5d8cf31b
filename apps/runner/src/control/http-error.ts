/** A request the control API refuses, with the HTTP status and a message for the person who sent it. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
