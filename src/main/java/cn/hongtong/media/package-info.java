/**
 * Videos: uploads, probing and processing into HLS renditions and posters, and the URLs that play
 * or download a video. Knows videos and object keys, never lessons or courses (catalog asks it for a
 * video's URLs), nor the storage product: that is {@link cn.hongtong.media.storage}.
 */
package cn.hongtong.media;
