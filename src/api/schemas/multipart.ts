import { Type, type TSchema } from '@sinclair/typebox';

/** Finger image parts: finger_1 … finger_10 (ANSI/NIST finger positions). */
const fingerImages = Object.fromEntries(
  Array.from({ length: 10 }, (_, k) => [`finger_${k + 1}`, Type.Optional(Type.String({ format: 'binary', description: `image of finger ${k + 1}` }))]),
);

const IMAGE_FORMATS = 'PNG, TIFF, BMP, JPEG or WSQ at 500 ppi';

/**
 * A multipart/form-data body for the OpenAPI document. Its handler reads the parts and checks each
 * JSON part against the schema given here (the same object), so the document and the check agree.
 */
export function multipartBody(parts: Record<string, TSchema>, options: { fingers: boolean; description: string }) {
  const properties = options.fingers ? { ...parts, ...fingerImages } : parts;
  return {
    content: {
      'multipart/form-data': {
        schema: Type.Object(properties, { additionalProperties: false, description: options.fingers ? `${options.description}; finger images ${IMAGE_FORMATS}` : options.description }),
      },
    },
  };
}

/** A body sent as raw bytes, read by its handler. */
export function binaryBody(description: string) {
  return { content: { 'application/octet-stream': { schema: Type.String({ format: 'binary', description }) } } };
}
