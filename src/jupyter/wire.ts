/**
 * The Jupyter wire protocol (messaging 5.3): encoding and decoding of signed multipart messages.
 * Side-neutral: the executor (client) and the kernel (server) both use it.
 *
 * A message on a ZeroMQ socket is the frames
 * `identities…, '<IDS|MSG>', signature, header, parent_header, metadata, content, buffers…`
 * where `signature` is the lowercase hex HMAC-SHA256 of the four JSON frames under the
 * connection key (an empty key means no signing, and the signature frame is empty).
 *
 * @see https://jupyter-client.readthedocs.io/en/stable/messaging.html#the-wire-protocol
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { PtmcError, type ErrorContext } from '../util/errors.js';

/** The delimiter frame between routing identities and the message proper. */
export const DELIMITER = '<IDS|MSG>';

/** Protocol version this codec speaks. */
export const PROTOCOL_VERSION = '5.3';

/** A Jupyter message header. */
export interface JupyterHeader {
  /** Unique id of the message (a UUID). */
  msg_id: string;
  /** Message type, e.g. `execute_request`. */
  msg_type: string;
  /** Session id of the sender. */
  session: string;
  /** User name of the sender. */
  username: string;
  /** ISO 8601 time the message was created. */
  date: string;
  /** Messaging protocol version. */
  version: string;
  [key: string]: unknown;
}

/** One Jupyter message (without its routing identities). */
export interface JupyterMessage<C = Record<string, unknown>> {
  /** This message's header. */
  header: JupyterHeader;
  /** The header of the message this one answers, or `{}`. */
  parent_header: Partial<JupyterHeader> | Record<string, never>;
  /** Free-form metadata. */
  metadata: Record<string, unknown>;
  /** The message content, shaped by `header.msg_type`. */
  content: C;
  /** Binary buffers appended after the JSON frames. */
  buffers?: Buffer[];
}

/** A decoded message with the routing identities it arrived with. */
export type DecodedMessage<C = Record<string, unknown>> = JupyterMessage<C> & { identities: Buffer[] };

/** A message could not be decoded: missing delimiter, bad JSON, or a bad or missing signature. */
export class WireError extends PtmcError {
  constructor(message: string, ctx: ErrorContext = {}) {
    super(message, ctx);
  }
}

/**
 * Creates a fresh message header.
 * @param msg_type the message type, e.g. `kernel_info_request`
 * @param session the sender's session id
 * @param username the sender's user name
 * @returns a header with a new UUID `msg_id`, the current ISO date and version `5.3`
 * @example
 * const h = newHeader('execute_request', session); // h.version === '5.3'
 */
export function newHeader(msg_type: string, session: string, username = 'ptmc'): JupyterHeader {
  return { msg_id: randomUUID(), msg_type, session, username, date: new Date().toISOString(), version: PROTOCOL_VERSION };
}

/**
 * Computes the hex HMAC-SHA256 signature of the four JSON frames.
 * @param key the connection key; empty → empty signature (no signing)
 * @param frames header, parent_header, metadata and content as encoded JSON
 */
export function signMessage(key: string | Buffer, frames: (Buffer | string)[]): string {
  if (key.length === 0) return '';
  const h = createHmac('sha256', key);
  for (const f of frames) h.update(f);
  return h.digest('hex');
}

/**
 * Encodes a message into ZeroMQ frames, signed with `key`.
 * @param msg the message
 * @param key the connection key (empty: unsigned)
 * @param identities routing identities to prefix (a ROUTER socket replying to a peer)
 * @returns the frames to send
 * @example
 * await dealer.send(encodeMessage({ header: newHeader('kernel_info_request', s), parent_header: {}, metadata: {}, content: {} }, key));
 */
export function encodeMessage(msg: JupyterMessage<unknown>, key: string | Buffer, identities: Buffer[] = []): Buffer[] {
  const json = [msg.header, msg.parent_header ?? {}, msg.metadata ?? {}, msg.content ?? {}].map((p) =>
    Buffer.from(JSON.stringify(p), 'utf8'),
  );
  return [...identities, Buffer.from(DELIMITER), Buffer.from(signMessage(key, json)), ...json, ...(msg.buffers ?? [])];
}

function parseFrame(frame: Buffer, name: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(frame.toString('utf8'));
  } catch (e) {
    throw new WireError(`the ${name} frame is not a JSON object: ${(e as Error).message}`, { field: name });
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new WireError(`the ${name} frame is not a JSON object: not a JSON object`, { field: name });
  }
  return v as Record<string, unknown>;
}

/**
 * Decodes ZeroMQ frames into a message, verifying its signature in constant time.
 * @param frames the frames as received
 * @param key the connection key (empty: signatures are not checked)
 * @returns the message and its routing identities
 * @throws WireError when the delimiter is missing, a frame is missing or not JSON, or the signature is missing or wrong
 * @example
 * const msg = decodeMessage(await dealer.receive(), key);
 */
export function decodeMessage(frames: Buffer[], key: string | Buffer): DecodedMessage {
  const bufs = frames.map((f) => (Buffer.isBuffer(f) ? f : Buffer.from(f as Uint8Array)));
  const i = bufs.findIndex((f) => f.length === DELIMITER.length && f.toString('latin1') === DELIMITER);
  if (i < 0)
    throw new WireError(`message has no ${DELIMITER} delimiter frame`, { remedy: 'the peer does not speak the Jupyter wire protocol' });
  if (bufs.length < i + 6) throw new WireError(`message has ${bufs.length - i - 1} frames after the delimiter, expected at least 5`);
  const identities = bufs.slice(0, i);
  const signature = bufs[i + 1]!;
  const json = bufs.slice(i + 2, i + 6);
  if (key.length > 0) {
    if (signature.length === 0) throw new WireError('message is not signed', { remedy: 'the peer must sign with the connection key' });
    const expected = Buffer.from(signMessage(key, json), 'latin1');
    if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
      throw new WireError('message has an invalid HMAC-SHA256 signature', {
        remedy: 'check that both sides use the same connection file key',
      });
    }
  }
  const header = parseFrame(json[0]!, 'header') as JupyterHeader;
  return {
    identities,
    header,
    parent_header: parseFrame(json[1]!, 'parent_header'),
    metadata: parseFrame(json[2]!, 'metadata'),
    content: parseFrame(json[3]!, 'content'),
    buffers: bufs.slice(i + 6),
  };
}
