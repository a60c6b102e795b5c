/**
 * {@link cn.hongtong.media.storage.ObjectStorage} and its MinIO adapter: the only code that
 * knows MinIO (or any S3 server) exists. All calls are asynchronous; nothing here blocks an
 * event loop.
 */
package cn.hongtong.media.storage;
