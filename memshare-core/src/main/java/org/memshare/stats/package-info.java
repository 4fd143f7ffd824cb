/** Statistics on shared data: memshare's mutual-information estimator and its parts. Depends on no other layer. */
package org.memshare.stats;
