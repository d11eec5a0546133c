import { randomUUID } from 'node:crypto';
import { StorageType, type JetStreamClient, type MsgHdrs, type NatsConnection, type ObjectStore } from 'nats';
import { ConcordError } from '../../shared/errors.ts';

export const PAYLOAD_OBJECT_HEADER = 'Concord-Payload-Object';
/** Room left under the server's limit for headers and the request's envelope. */
const HEADROOM_BYTES = 16 * 1024;

/**
 * Messages larger than the server's max_payload (a ten-print booking with its WSQ images, 1000
 * ppi captures) travel through the JetStream object store: the payload is stored under a fresh
 * name and the message carries only that name in a header. A request's or reply's object is
 * deleted by its one reader; an event's stays, as the event does, for every consumer to read.
 */
export class LargePayloads {
  private store?: Promise<ObjectStore>;
  /** The server's limit when last connected: while the connection is being made again, the server sends none. */
  private maxPayload: number;

  constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly bucket: string,
  ) {
    this.maxPayload = nc.info!.max_payload;
  }

  /** Whether `bytes` must go through the object store on this server. */
  tooLarge(bytes: Uint8Array): boolean {
    this.maxPayload = this.nc.info?.max_payload ?? this.maxPayload;
    return bytes.length > this.maxPayload - HEADROOM_BYTES;
  }

  /** The body to send for `bytes`: themselves, or nothing and the header naming their stored copy. */
  async pack(bytes: Uint8Array, headers: MsgHdrs): Promise<Uint8Array> {
    if (!this.tooLarge(bytes)) return bytes;
    const name = randomUUID();
    await (await this.objects()).putBlob({ name }, bytes);
    headers.set(PAYLOAD_OBJECT_HEADER, name);
    return new Uint8Array(0);
  }

  /** The payload of a received message, read from the object store when it was stored there. */
  async unpack(data: Uint8Array, headers: MsgHdrs | undefined, options: { remove: boolean }): Promise<Uint8Array> {
    const name = headers?.get(PAYLOAD_OBJECT_HEADER);
    if (!name) return data;
    const objects = await this.objects();
    const bytes = await objects.getBlob(name);
    if (!bytes) throw new ConcordError('PAYLOAD_MISSING', `a large message's payload ${name} is no longer in the object store`, { object: name });
    if (options.remove) await objects.delete(name).catch(() => undefined);
    return bytes;
  }

  /** Removes the stored copy a message names that no one will read (a request no node answered). */
  async discard(headers: MsgHdrs): Promise<void> {
    const name = headers.get(PAYLOAD_OBJECT_HEADER);
    if (name) await (await this.objects()).delete(name).catch(() => undefined);
  }

  private objects(): Promise<ObjectStore> {
    this.store ??= this.js.views.os(this.bucket, { storage: StorageType.File });
    return this.store;
  }
}
