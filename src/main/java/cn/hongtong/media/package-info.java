/**
 * Media assets behind lessons: uploads, probing and processing into HLS renditions and posters,
 * playback and offline download URLs. Knows object keys, never the storage product: that is
 * {@link cn.hongtong.media.storage}.
 */
package cn.hongtong.media;
