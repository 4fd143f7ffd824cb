/**
 * The byte layouts, each described once with its byte diagram and named offsets: memshare's segment
 * header and list directory ({@link org.memshare.format.internal.SegmentLayout}) and R memshare's
 * data and metadata objects ({@link org.memshare.format.internal.RMemshareLayout}), their writers and
 * validating readers. Not exported: the registry's layout codecs are its only users.
 */
package org.memshare.format.internal;
