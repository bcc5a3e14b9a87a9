package dev.wheelhouse.cli.admin;

/**
 * Files of one project in one index, as prune reports and stats list them.
 *
 * @param index the index or apt mirror
 * @param project the project's name
 * @param files how many files
 * @param bytes their total size
 */
record ProjectSize(String index, String project, long files, long bytes) {}
