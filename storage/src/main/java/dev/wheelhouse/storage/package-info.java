/**
 * Storage for wheelhouse: a content-addressed blob store ({@link
 * dev.wheelhouse.storage.BlobStore}), a RocksDB metadata store ({@link
 * dev.wheelhouse.storage.MetadataStore}), a consistency check between the two and an in-memory
 * cache of rendered index pages ({@link dev.wheelhouse.storage.PageCache}).
 *
 * <p>Every method blocks: callers run them on worker threads, never on an event loop.
 */
package dev.wheelhouse.storage;
