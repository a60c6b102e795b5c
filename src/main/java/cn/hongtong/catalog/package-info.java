/**
 * Categories (professional fields), courses and their ordered lessons: the only package that
 * writes them. Learners read published courses; course admins create, edit and publish.
 */
package cn.hongtong.catalog;
