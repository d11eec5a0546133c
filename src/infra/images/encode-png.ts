import sharp from 'sharp';
import type { GrayImage } from '../../biometrics/gray-image.ts';

/** An 8-bit grayscale PNG of the image. */
export function encodePng(image: Pick<GrayImage, 'width' | 'height' | 'pixels'>): Promise<Buffer> {
  return sharp(Buffer.from(image.pixels.buffer, image.pixels.byteOffset, image.pixels.length), { raw: { width: image.width, height: image.height, channels: 1 } })
    .png()
    .toBuffer();
}
