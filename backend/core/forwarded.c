/* forwarded.c - the client's address behind trusted proxies; see forwarded.h. */
#include "forwarded.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#define ENTRIES_MAX 32 /* X-Forwarded-For entries read before giving up (a proxy chain is short) */

struct ip {
	int family; /* AF_INET or AF_INET6 */
	unsigned char a[16];
};

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Parses the address in s[0..len) (blanks around it allowed; "[v6]", "[v6]:port" and
 * "v4:port" as some proxies write them); an IPv4-mapped IPv6 address becomes its IPv4 one.
 * Returns 0, or -1 when it is not an address. */
static int ip_parse(const char *s, size_t len, struct ip *ip)
{
	static const unsigned char v4_mapped[12] = { [10] = 0xff, [11] = 0xff };
	char text[FORWARDED_ADDRESS_MAX];
	const char *end;

	while (len > 0 && blank(*s)) {
		s++;
		len--;
	}
	while (len > 0 && blank(s[len - 1]))
		len--;
	if (len > 0 && *s == '[') {
		end = memchr(s, ']', len);
		if (end == NULL || (end + 1 != s + len && end[1] != ':'))
			return -1;
		s++;
		len = (size_t)(end - s);
	} else if (memchr(s, '.', len) != NULL && (end = memchr(s, ':', len)) != NULL &&
		   memchr(end + 1, ':', len - (size_t)(end + 1 - s)) == NULL) {
		len = (size_t)(end - s); /* 203.0.113.7:51234 */
	}
	if (len == 0 || len >= sizeof text)
		return -1;
	memcpy(text, s, len);
	text[len] = '\0';
	if (inet_pton(AF_INET, text, ip->a) == 1) {
		ip->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, text, ip->a) != 1)
		return -1;
	ip->family = AF_INET6;
	if (memcmp(ip->a, v4_mapped, sizeof v4_mapped) == 0) {
		memmove(ip->a, ip->a + 12, 4);
		ip->family = AF_INET;
	}
	return 0;
}

/* Parses one trusted_proxies entry s[0..len): an address or address/bits. Returns 0 with the
 * range's first address and its prefix length, or -1. */
static int range_parse(const char *s, size_t len, struct ip *ip, unsigned *bits)
{
	const char *slash = memchr(s, '/', len);
	unsigned n = 0, max;
	size_t i;

	if (ip_parse(s, slash != NULL ? (size_t)(slash - s) : len, ip) != 0)
		return -1;
	max = ip->family == AF_INET ? 32 : 128;
	if (slash == NULL) {
		*bits = max;
		return 0;
	}
	if (slash + 1 == s + len || len - (size_t)(slash + 1 - s) > 3)
		return -1;
	for (i = (size_t)(slash + 1 - s); i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		n = n * 10 + (unsigned)(s[i] - '0');
	}
	if (n > max)
		return -1;
	*bits = n;
	return 0;
}

/* Whether ip lies in the range first/bits. */
static bool range_has(const struct ip *first, unsigned bits, const struct ip *ip)
{
	unsigned whole = bits / 8, rest = bits % 8;
	unsigned char mask;

	if (first->family != ip->family)
		return false;
	if (memcmp(first->a, ip->a, whole) != 0)
		return false;
	if (rest == 0)
		return true;
	mask = (unsigned char)(0xff << (8 - rest));
	return (first->a[whole] & mask) == (ip->a[whole] & mask);
}

/* Finds the next entry of list (separated by commas and blanks) from *pos: sets *start and
 * *len and returns true, or false at the end. */
static bool list_next(const char *list, size_t *pos, const char **start, size_t *len)
{
	size_t i = *pos, j;

	while (list[i] == ',' || blank(list[i]))
		i++;
	if (list[i] == '\0')
		return false;
	for (j = i; list[j] != '\0' && list[j] != ',' && !blank(list[j]); j++)
		;
	*start = list + i;
	*len = j - i;
	*pos = j;
	return true;
}

int forwarded_list_valid(const char *list, char *err, size_t errlen)
{
	const char *s;
	size_t pos = 0, len;
	struct ip ip;
	unsigned bits;

	while (list_next(list, &pos, &s, &len)) {
		if (range_parse(s, len, &ip, &bits) != 0) {
			snprintf(err, errlen, "\"%.*s\" is not an IP address or a range such as "
					      "10.0.0.0/8", (int)(len > 60 ? 60 : len), s);
			return -1;
		}
	}
	return 0;
}

/* Whether the parsed address ip is in list. */
static bool trusted_ip(const char *list, const struct ip *ip)
{
	const char *s;
	size_t pos = 0, len;
	struct ip first;
	unsigned bits;

	while (list_next(list, &pos, &s, &len))
		if (range_parse(s, len, &first, &bits) == 0 && range_has(&first, bits, ip))
			return true;
	return false;
}

bool forwarded_trusted(const char *list, const char *address)
{
	struct ip ip;

	return address != NULL && ip_parse(address, strlen(address), &ip) == 0 &&
	       trusted_ip(list, &ip);
}

/* Writes ip's canonical text to out; returns out, or NULL when it does not fit. */
static const char *ip_text(const struct ip *ip, char *out, size_t outlen)
{
	return inet_ntop(ip->family, ip->a, out, (socklen_t)outlen);
}

const char *forwarded_client(const char *list, const char *peer, const char *const *xff, size_t n,
			     char *out, size_t outlen)
{
	struct ip ip, leftmost = { 0 };
	const char *v, *end;
	size_t seen = 0, h;
	bool found = false;

	snprintf(out, outlen, "%s", peer != NULL ? peer : "");
	if (n == 0 || *list == '\0' || !forwarded_trusted(list, peer))
		return out;
	for (h = n; h-- > 0;) {
		v = xff[h];
		end = v + strlen(v);
		while (end > v) {
			const char *start = end;

			while (start > v && start[-1] != ',')
				start--;
			if (++seen > ENTRIES_MAX ||
			    ip_parse(start, (size_t)(end - start), &ip) != 0)
				goto peer;
			if (!trusted_ip(list, &ip)) {
				if (ip_text(&ip, out, outlen) == NULL)
					goto peer;
				return out;
			}
			leftmost = ip;
			found = true;
			end = start > v ? start - 1 : v;
		}
	}
	if (found && ip_text(&leftmost, out, outlen) != NULL)
		return out;
peer:
	snprintf(out, outlen, "%s", peer);
	return out;
}
