import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, linkSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { ConcordError } from '../../shared/errors.ts';
import type { TemplateSealer } from '../../repositories/shared/template-sealer.ts';

/**
 * Data keys for biometric data at rest: AES-256-GCM, one active key for new data and older keys
 * kept to open what they sealed. A sealed value is
 *   "CSE2" | key-id length (1 byte) | key id (ASCII) | IV (12 bytes) | ciphertext | tag (16 bytes),
 * so each value names its key and keys can rotate while data is re-encrypted in the background.
 * The record a value belongs to (its binding: column, subject, finger) is authenticated with it
 * as associated data, so a value copied into another subject's row fails its integrity check.
 * Values of the first format ("CSE1", before bindings) open only until a rotation has sealed
 * every stored value again, bound; the key file then says `"bindingRequired": true` and they are
 * refused like a value that is not sealed at all. A new key file starts that way.
 * The keys live in a JSON file outside the database ({"active": id, "keys": {id: base64}}), read
 * again when it changes, so a rotation reaches a running server without a restart.
 */
const MAGIC = Buffer.from('CSE2');
/** The first format: the same layout, without a binding. */
const UNBOUND_MAGIC = Buffer.from('CSE1');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const RELOAD_CHECK_MS = 5_000;

interface KeyFile {
  active: string;
  keys: Record<string, string>;
  /** Set once no unbound value is left: from then on they are refused. */
  bindingRequired?: boolean;
}

export class KeyRing implements TemplateSealer {
  private keys = new Map<string, Buffer>();
  private active = '';
  private bindingRequired = false;
  private fileTime = 0;
  private checkedAt = 0;

  private constructor(private readonly file?: string) {}

  /** Keys for one process only (tests, in-memory databases): gone with it, as is the data. */
  static ephemeral(): KeyRing {
    const ring = new KeyRing();
    ring.load({ active: 'k1', keys: { k1: randomBytes(KEY_BYTES).toString('base64') }, bindingRequired: true });
    return ring;
  }

  /**
   * The key file at `path`, created with one fresh key (readable by its owner only) if missing.
   * Processes starting together on one new file all end up with the key of whichever created it.
   */
  static fromFile(path: string): KeyRing {
    if (!existsSync(path)) createKeyFile(path, { active: 'k1', keys: { k1: randomBytes(KEY_BYTES).toString('base64') }, bindingRequired: true });
    const ring = new KeyRing(path);
    ring.reloadIfChanged(true);
    return ring;
  }

  get activeKeyId(): string {
    this.reloadIfChanged();
    return this.active;
  }

  seal(plain: Uint8Array, binding: string): Uint8Array {
    this.reloadIfChanged();
    const id = Buffer.from(this.active, 'ascii');
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.active)!, iv);
    cipher.setAAD(Buffer.from(binding, 'utf8'));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([MAGIC, Buffer.of(id.length), id, iv, body, cipher.getAuthTag()]);
  }

  /** Opens a value sealed for `binding`; anything else (unsealed, altered, moved) is refused. */
  open(stored: Uint8Array, binding: string): Uint8Array {
    const data = Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
    const format = formatOf(data);
    if (!format) throw new ConcordError('DATA_NOT_SEALED', `stored biometric data for ${binding} is not sealed: refused`, { binding });
    if (format === 'unbound' && this.bindingRequired) throw new ConcordError('DATA_NOT_SEALED', `stored biometric data for ${binding} is sealed without its binding, which this key ring no longer accepts`, { binding });
    const id = keyIdOf(data);
    let key = this.keys.get(id);
    if (!key) {
      this.reloadIfChanged(true);
      key = this.keys.get(id);
    }
    if (!key) throw new ConcordError('KEY_UNKNOWN', `data sealed with key "${id}", which the key file does not hold`, { keyId: id });
    const start = MAGIC.length + 1 + id.length;
    const iv = data.subarray(start, start + IV_BYTES);
    const tag = data.subarray(data.length - TAG_BYTES);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      if (format === 'bound') decipher.setAAD(Buffer.from(binding, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(data.subarray(start + IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new ConcordError('SEALED_DATA_CORRUPT', `sealed data for ${binding} under key "${id}" fails its integrity check (altered, or copied from another record)`, { keyId: id, binding });
    }
  }

  /**
   * An HMAC-SHA256 of `data` under the active key, for `context` (e.g. signed audit entries).
   * The MAC key is derived from the data key for that context (HKDF), so no key serves two
   * purposes; the code names its key, which stays in the ring after a rotation.
   */
  mac(context: string, data: string): { keyId: string; code: string } {
    this.reloadIfChanged();
    return { keyId: this.active, code: macOf(this.keys.get(this.active)!, context, data) };
  }

  /** Whether `code` is the MAC of `data` for `context` under key `keyId` (false for a key the ring does not hold). */
  checkMac(context: string, keyId: string, data: string, code: string): boolean {
    if (!this.keys.has(keyId)) this.reloadIfChanged(true);
    const key = this.keys.get(keyId);
    if (!key || !/^[0-9a-f]{64}$/.test(code)) return false;
    return timingSafeEqual(Buffer.from(macOf(key, context, data), 'hex'), Buffer.from(code, 'hex'));
  }

  /** Whether a stored value should be sealed again: under an older key, or in the unbound format. */
  needsResealing(stored: Uint8Array): boolean {
    const data = Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
    return formatOf(data) !== 'bound' || keyIdOf(data) !== this.activeKeyId;
  }

  /** From now on, values sealed without a binding are refused (call once every stored value is bound). */
  requireBindings(): void {
    this.reloadIfChanged(true);
    if (!this.bindingRequired) this.save({ ...this.contents(), bindingRequired: true });
  }

  /** Adds a fresh key and makes it active (in the file too, when there is one); returns its id. */
  rotate(): string {
    this.reloadIfChanged(true);
    let n = this.keys.size + 1;
    while (this.keys.has(`k${n}`)) n++;
    const id = `k${n}`;
    const current = this.contents();
    this.save({ ...current, active: id, keys: { ...current.keys, [id]: randomBytes(KEY_BYTES).toString('base64') } });
    return id;
  }

  private contents(): KeyFile {
    return { active: this.active, keys: Object.fromEntries([...this.keys].map(([k, v]) => [k, v.toString('base64')])), bindingRequired: this.bindingRequired };
  }

  /** The ring becomes `next`, in its file too when it has one (read back, as another process would). */
  private save(next: KeyFile): void {
    if (!this.file) return this.load(next);
    writeKeyFile(this.file, next);
    this.reloadIfChanged(true);
  }

  private reloadIfChanged(force = false): void {
    if (!this.file) return;
    const now = Date.now();
    if (!force && now - this.checkedAt < RELOAD_CHECK_MS) return;
    this.checkedAt = now;
    const time = statSync(this.file).mtimeMs;
    if (!force && time === this.fileTime) return;
    this.fileTime = time;
    let parsed: KeyFile;
    try {
      parsed = JSON.parse(readFileSync(this.file, 'utf8')) as KeyFile;
    } catch (error) {
      throw new ConcordError('KEY_FILE_INVALID', `key file ${this.file} is not valid JSON: ${(error as Error).message}`, { path: this.file });
    }
    this.load(parsed, this.file);
  }

  private load(parsed: KeyFile, source = 'key ring'): void {
    const keys = new Map<string, Buffer>();
    for (const [id, encoded] of Object.entries(parsed.keys ?? {})) {
      const key = Buffer.from(encoded, 'base64');
      if (key.length !== KEY_BYTES || !/^[A-Za-z0-9_-]{1,32}$/.test(id)) throw new ConcordError('KEY_FILE_INVALID', `${source}: key "${id}" must be 32 bytes in base64 with a short id`, { keyId: id });
      keys.set(id, key);
    }
    if (!keys.has(parsed.active)) throw new ConcordError('KEY_FILE_INVALID', `${source}: the active key "${parsed.active}" is not among its keys`, {});
    this.keys = keys;
    this.active = parsed.active;
    this.bindingRequired = parsed.bindingRequired === true;
  }
}

function macOf(key: Buffer, context: string, data: string): string {
  const macKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `concord mac: ${context}`, KEY_BYTES));
  return createHmac('sha256', macKey).update(data, 'utf8').digest('hex');
}

function formatOf(data: Buffer): 'bound' | 'unbound' | undefined {
  if (data.length <= MAGIC.length + 1 + IV_BYTES + TAG_BYTES) return undefined;
  const magic = data.subarray(0, MAGIC.length);
  return magic.equals(MAGIC) ? 'bound' : magic.equals(UNBOUND_MAGIC) ? 'unbound' : undefined;
}

function keyIdOf(data: Buffer): string {
  return data.subarray(MAGIC.length + 1, MAGIC.length + 1 + data[MAGIC.length]).toString('ascii');
}

/** Written whole, then linked into place only if no other process made the file first. */
function createKeyFile(path: string, contents: KeyFile): void {
  const temporary = `${path}.${process.pid}.new`;
  writeFileSync(temporary, `${JSON.stringify(contents, null, 2)}\n`, { mode: 0o600 });
  try {
    linkSync(temporary, path);
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** Written whole, then renamed into place, so a reader never sees half a file. */
function writeKeyFile(path: string, contents: KeyFile): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(contents, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, path);
}
