/**
 * Categories (professional fields), courses and their ordered lessons: the only package that
 * writes them. Learners read published courses and play their lessons (the catalog decides what
 * may be played and asks media for the video's URLs); course admins create, edit and publish.
 */
package cn.hongtong.catalog;
