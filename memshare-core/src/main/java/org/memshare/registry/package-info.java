/**
 * The namespace layer, in memshare's vocabulary: variables registered under a namespace
 * ({@linkplain org.memshare.registry.MemShare pages}), zero-copy {@linkplain org.memshare.registry.View views},
 * metadata, the reference-counted lifecycle, orphan reclamation and SharedObject's developer API.
 * Depends on {@code org.memshare.segment} and {@code org.memshare.format} only.
 */
package org.memshare.registry;
