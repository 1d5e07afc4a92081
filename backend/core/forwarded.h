/* forwarded.h - the client's address when the portal stands behind a load balancer or proxy.
 *
 * Behind a balancer every connection comes from the balancer's own address, so limits per
 * address (sign-in, registration, password reset), the audit log and the job views would treat
 * all visitors as one. When the connecting address is one of `trusted_proxies` (config.h), the
 * client is read from X-Forwarded-For instead, right to left: each proxy appends the address it
 * was connected from, so the rightmost address that is not a trusted proxy is the last one no
 * proxy of ours vouched for (what a client wrote there itself lies further left and is ignored).
 * Everyone else's X-Forwarded-For is ignored: anyone can send the header.
 */
#ifndef PORTAL_FORWARDED_H
#define PORTAL_FORWARDED_H

#include <stdbool.h>
#include <stddef.h>

/* Room for any address forwarded_client() writes (INET6_ADDRSTRLEN). */
#define FORWARDED_ADDRESS_MAX 46

/* Checks a trusted_proxies value: empty, or IPv4/IPv6 addresses and CIDR ranges (10.0.0.0/8,
 * fd00::/8) separated by commas and blanks. Returns 0 when valid; otherwise -1 with the first
 * entry that is neither in err. */
int forwarded_list_valid(const char *list, char *err, size_t errlen);

/* Whether address (text; IPv4-mapped IPv6 counts as its IPv4 address) is in list (a valid
 * trusted_proxies value). */
bool forwarded_trusted(const char *list, const char *address);

/* The client's address, written to out (at least FORWARDED_ADDRESS_MAX bytes) and returned:
 * peer (the connecting address) unless peer is in list and the request has X-Forwarded-For
 * headers (values xff[0..n-1] in the order received); then the rightmost address in them that is
 * not in list, or the leftmost when all are. When the entry reached is not an IP address, or the
 * headers hold more than 32 entries to read through, the answer is peer. Addresses are written in
 * their canonical text (2001:db8::1, never 2001:0db8:0::1), so one client is one key. */
const char *forwarded_client(const char *list, const char *peer, const char *const *xff, size_t n,
			     char *out, size_t outlen);

#endif
