/** Photo limits, shared by the form (hints) and the server (checks). */
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
export const MAX_PHOTOS = 4;
