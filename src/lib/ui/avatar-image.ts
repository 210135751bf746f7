/**
 * Makes an avatar from a picture the user chose, in the browser: the largest centred square,
 * scaled to at most 256 px, as WebP (PNG where the browser cannot write WebP). What the
 * server stores is then a few KB, whatever the camera made.
 */

export const AVATAR_SIZE = 256;

export class NotAnImage extends Error {
  constructor() {
    super('That file is not a picture this browser can read.');
  }
}

export async function squareAvatar(file: Blob, size = AVATAR_SIZE): Promise<Blob> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new NotAnImage();
  }
  try {
    const side = Math.min(bitmap.width, bitmap.height);
    const out = Math.min(size, side);
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = out;
    const context = canvas.getContext('2d');
    if (!context) throw new NotAnImage();
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, (bitmap.width - side) / 2, (bitmap.height - side) / 2, side, side, 0, 0, out, out);
    const encode = (type: string) => new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, type, 0.86));
    const webp = await encode('image/webp');
    const blob = webp?.type === 'image/webp' ? webp : await encode('image/png');
    if (!blob) throw new NotAnImage();
    return blob;
  } finally {
    bitmap.close();
  }
}
