/**
 * Pull-through downloads of proxied files: one upstream fetch per file into the blob store ({@link
 * dev.wheelhouse.server.proxy.fill.FillCoordinator}), streamed to every waiting client while it is
 * still being written ({@link dev.wheelhouse.server.proxy.fill.FillResponder}), and never completed
 * for a client before the bytes are verified and committed (DESIGN §5, §6 rule 1).
 */
package dev.wheelhouse.server.proxy.fill;
