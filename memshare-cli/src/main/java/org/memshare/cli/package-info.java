/** The {@code memshare} command line: one class per verb, {@link org.memshare.cli.Main} dispatches. Top layer. */
package org.memshare.cli;
