/**
 * Matrix files streamed straight into shared memory: NumPy {@code .npy}, CSV (any delimiter, plain or
 * gzip'd) and memshare's binary {@code .msm}, one codec class per format behind {@link
 * org.memshare.io.MatrixFile}. The heap holds a bounded buffer, never the matrix; text is parsed with
 * bounded memory per line. This package sits above the registry: a file registers itself.
 *
 * {@snippet :
 * MatrixFile file = MatrixFile.open(Path.of("data.npy"));          // format from the content
 * file.register(MemShare.system(), "ns", "X");                      // column names travel along
 * }
 */
package org.memshare.io;
