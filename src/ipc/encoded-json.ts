/**
 * A reply a handler has already encoded as JSON: the server puts it in the reply frame as it
 * is, without parsing or encoding it again. The type parameter is the shape it decodes to, so a
 * handler table still checks each method's reply shape (see handler-binding.ts). Whoever makes
 * one vouches for the content: valid JSON, no newline.
 *
 * As bytes, it may sit in a buffer its maker reuses: `written` is called once the server no
 * longer needs them (sent, or the connection gone).
 */
export class EncodedJson<T> {
  /** Only for the type checker: the decoded shape. */
  declare readonly decodesTo?: T;

  constructor(
    readonly json: string | Buffer,
    readonly written: () => void = () => {},
  ) {}
}
