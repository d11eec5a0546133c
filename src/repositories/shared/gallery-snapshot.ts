import { open, type FileHandle } from 'node:fs/promises';
import type { FingerprintGallery } from '../../biometrics/matching/gallery.ts';
import { ConcordError } from '../../shared/errors.ts';
import { addSealedTemplates, type StoredTemplate } from './identification.ts';
import type { SealedColumn, TemplateSealer } from './template-sealer.ts';

/**
 * A gallery snapshot: a repository's sealed finger templates in one file beside its database, read
 * in large pages at restart instead of a million rows through a query. The templates stay sealed
 * as they are in the table, so loading checks them exactly as loading from the table does: each
 * is opened for its own subject and finger and checked with its checksum; one that fails is left
 * out and reported.
 *
 *   "CGS1", then per finger: subject length u16, subject (UTF-8), position u8,
 *   sealed length u32, sealed template — all big-endian.
 */
const MAGIC = Buffer.from('CGS1');
const PAGE_BYTES = 8 * 1024 * 1024;

/** Writes a snapshot page by page: `write` each page of rows, then `close`. */
export class GallerySnapshotWriter {
  private constructor(private readonly file: FileHandle) {}

  static async create(path: string): Promise<GallerySnapshotWriter> {
    const file = await open(path, 'w');
    await file.write(MAGIC);
    return new GallerySnapshotWriter(file);
  }

  async write(rows: readonly StoredTemplate[]): Promise<void> {
    const parts: Buffer[] = [];
    for (const row of rows) {
      const subject = Buffer.from(row.subject, 'utf8');
      const head = Buffer.alloc(2 + subject.length + 1 + 4);
      head.writeUInt16BE(subject.length, 0);
      subject.copy(head, 2);
      head.writeUInt8(row.position, 2 + subject.length);
      head.writeUInt32BE(row.template.length, 3 + subject.length);
      parts.push(head, Buffer.from(row.template.buffer, row.template.byteOffset, row.template.byteLength));
    }
    await this.file.write(Buffer.concat(parts));
  }

  async close(): Promise<void> {
    await this.file.close();
  }
}

/**
 * Fills a gallery from a snapshot, checking every template on the way in; returns the fingers
 * held and the bindings of those refused. A file whose framing is broken (cut short, or not a
 * snapshot) is a SNAPSHOT_CORRUPT error: the caller loads from the database instead.
 */
export async function loadGallerySnapshot(path: string, gallery: FingerprintGallery, column: SealedColumn, sealer: TemplateSealer): Promise<{ fingers: number; refused: string[] }> {
  const file = await open(path, 'r');
  const refused: string[] = [];
  let fingers = 0;
  try {
    let buffer = Buffer.alloc(0);
    let offset = 0;
    let fileOffset = 0;
    let ended = false;
    const need = async (bytes: number): Promise<boolean> => {
      while (buffer.length - offset < bytes && !ended) {
        const page = Buffer.alloc(PAGE_BYTES);
        const { bytesRead } = await file.read(page, 0, PAGE_BYTES, fileOffset);
        fileOffset += bytesRead;
        if (bytesRead === 0) ended = true;
        buffer = Buffer.concat([buffer.subarray(offset), page.subarray(0, bytesRead)]);
        offset = 0;
      }
      return buffer.length - offset >= bytes;
    };
    const corrupt = (why: string): never => {
      throw new ConcordError('SNAPSHOT_CORRUPT', `gallery snapshot ${why}`, { offset: fileOffset - (buffer.length - offset) });
    };
    if (!(await need(4)) || !buffer.subarray(0, 4).equals(MAGIC)) corrupt('does not start with "CGS1"');
    offset = 4;
    while (await need(1)) {
      if (!(await need(2))) corrupt('ends inside a record');
      const subjectLength = buffer.readUInt16BE(offset);
      if (!(await need(2 + subjectLength + 5))) corrupt('ends inside a record');
      const subject = buffer.toString('utf8', offset + 2, offset + 2 + subjectLength);
      const position = buffer.readUInt8(offset + 2 + subjectLength);
      const length = buffer.readUInt32BE(offset + 3 + subjectLength);
      if (!(await need(7 + subjectLength + length))) corrupt('ends inside a template');
      const sealed = buffer.subarray(offset + 7 + subjectLength, offset + 7 + subjectLength + length);
      offset += 7 + subjectLength + length;
      const refusedHere = addSealedTemplates(gallery, column, [{ subject, position, template: sealed }], sealer);
      if (refusedHere.length === 0) fingers++;
      else refused.push(...refusedHere);
    }
  } finally {
    await file.close();
  }
  return { fingers, refused };
}
