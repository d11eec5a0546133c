type Typed = Float64Array | Float32Array | Int32Array | Uint8Array;

const kept = new Map<string, Typed>();

/**
 * A zero-filled working array that an extraction needs only while it runs, kept for the next
 * extraction of the same thread: the same as `new make(length)` to its caller. Allocating the
 * working arrays afresh (about 10 MB a print of FVC size) made the collector run a full
 * collection every print or two, which two extractions side by side then also waited on. Each
 * `purpose` names one array at one place in the pipeline, and nothing returned from an extraction
 * may be one: the next extraction overwrites it.
 */
export function scratch<T extends Typed>(purpose: string, make: { new (length: number): T }, length: number): T {
  const array = kept.get(purpose);
  if (array instanceof make && array.length >= length) {
    const view = array.subarray(0, length) as T;
    view.fill(0);
    return view;
  }
  const fresh = new make(length);
  kept.set(purpose, fresh);
  return fresh;
}
