/* filetype.c - content checks of uploaded files; see filetype.h.
 *
 * The ZIP reader trusts nothing: it reads the End Of Central Directory record, walks the
 * central directory with every length bounded by the file, checks each local header against
 * its directory entry, and inflates every entry into a fixed buffer, stopping as soon as the
 * output exceeds the declared size. Offsets and sizes are 32-bit in ZIP (ZIP64 is refused), so
 * the arithmetic below is done in uint64_t and cannot overflow.
 */
#include "filetype.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#define PDF_TAIL 1024              /* "%%EOF" must be within this many bytes of the end */
#define PDF_HEAD 1024              /* no HTML markup within this many bytes of the start */
#define ZIP_EOCD 22                /* End Of Central Directory record, without its comment */
#define ZIP_CENTRAL 46             /* central directory header, without name/extra/comment */
#define ZIP_LOCAL 30               /* local file header, without name/extra */
#define ZIP_RATIO_FLOOR (1u << 20) /* entries smaller than this are never a bomb */
#define CONTENT_TYPES_MAX (1u << 20)
#define CHUNK (64u * 1024)
#define CARRY 16                   /* bytes kept between chunks when scanning for markup */

static const char docx_main_type[] =
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";

/* One central directory entry, as checked. */
struct zip_entry {
	const unsigned char *name;
	size_t nlen;
	unsigned method;
	uint32_t crc;
	uint64_t csize;
	uint64_t usize;
	uint64_t start;   /* local header offset */
	uint64_t data;    /* compressed data offset */
};

/* Little-endian 16- and 32-bit numbers at p (ZIP's byte order). */
static uint16_t rd16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Case-insensitive search for needle (NUL-terminated, lower case) in p[0..n). */
static bool has_ci(const unsigned char *p, size_t n, const char *needle)
{
	size_t k = strlen(needle), i;

	for (i = 0; i + k <= n; i++)
		if (tolower(p[i]) == needle[0] && strncasecmp((const char *)p + i, needle, k) == 0)
			return true;
	return false;
}

/* True when p[0..n) holds an XML markup declaration that may define entities: "<!DOCTYPE" or
 * "<!ENTITY", in any case. */
static bool has_markup_decl(const unsigned char *p, size_t n)
{
	const unsigned char *lt = p, *end = p + n;

	while ((lt = memchr(lt, '<', (size_t)(end - lt))) != NULL) {
		if (end - lt >= 9 && strncasecmp((const char *)lt, "<!doctype", 9) == 0)
			return true;
		if (end - lt >= 8 && strncasecmp((const char *)lt, "<!entity", 8) == 0)
			return true;
		lt++;
	}
	return false;
}

/* ---- PDF ----------------------------------------------------------------------------------- */

/* True when p[0..len) passes the PDF checks of filetype.h; else false and *why says why. */
static bool is_pdf(const unsigned char *p, size_t len, const char **why)
{
	static const char *const markup[] = { "<html", "<!doctype", "<script", "<svg", "<body",
					       "<iframe" };
	size_t tail = len < PDF_TAIL ? len : PDF_TAIL, head = len < PDF_HEAD ? len : PDF_HEAD, i;

	if (len < 8 || memcmp(p, "%PDF-", 5) != 0 || p[5] < '1' || p[5] > '9' || p[6] != '.' ||
	    p[7] < '0' || p[7] > '9') {
		*why = "pdf: no %PDF-n.n header at the start";
		return false;
	}
	if (memmem(p + len - tail, tail, "%%EOF", 5) == NULL) {
		*why = "pdf: no %%EOF near the end";
		return false;
	}
	for (i = 0; i < sizeof markup / sizeof markup[0]; i++) {
		if (has_ci(p, head, markup[i])) {
			*why = "pdf: HTML or SVG markup in the header (polyglot)";
			return false;
		}
	}
	return true;
}

/* ---- DOCX: ZIP structure -------------------------------------------------------------------- */

/* True when the entry's name is `want` exactly. */
static bool entry_is(const struct zip_entry *e, const char *want)
{
	return e->nlen == strlen(want) && memcmp(e->name, want, e->nlen) == 0;
}

/* True when the entry's name ends with suffix, ignoring case. */
static bool entry_ends(const struct zip_entry *e, const char *suffix)
{
	size_t k = strlen(suffix);

	return e->nlen >= k && strncasecmp((const char *)e->name + e->nlen - k, suffix, k) == 0;
}

/* Finds the End Of Central Directory record: the last "PK\5\6" whose comment length reaches
 * exactly the end of the file. Returns its offset, or -1. */
static long eocd_find(const unsigned char *p, size_t len)
{
	size_t pos, lowest;

	if (len < ZIP_EOCD)
		return -1;
	lowest = len - ZIP_EOCD > 65535 ? len - ZIP_EOCD - 65535 : 0;
	for (pos = len - ZIP_EOCD;; pos--) {
		if (memcmp(p + pos, "PK\5\6", 4) == 0 && pos + ZIP_EOCD + rd16(p + pos + 20) == len)
			return (long)pos;
		if (pos == lowest)
			return -1;
	}
}

/* qsort comparators: entries by local header offset, and by name. */
static int by_start(const void *a, const void *b)
{
	const struct zip_entry *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static int by_name(const void *a, const void *b)
{
	const struct zip_entry *x = a, *y = b;
	size_t n = x->nlen < y->nlen ? x->nlen : y->nlen;
	int c = memcmp(x->name, y->name, n);

	return c != 0 ? c : (x->nlen < y->nlen ? -1 : x->nlen > y->nlen);
}

/* Reads and checks the central directory entry at p[*off..] (the directory ends at cd_end) and
 * its local header into e; advances *off. Returns NULL, or the reason it is refused. */
static const char *entry_read(const unsigned char *p, uint64_t *off, uint64_t cd_end,
			      uint64_t cd_start, struct zip_entry *e)
{
	const unsigned char *c = p + *off, *l;
	uint64_t next, lnlen, lxlen;
	unsigned flags;

	if (*off + ZIP_CENTRAL > cd_end || memcmp(c, "PK\1\2", 4) != 0)
		return "zip: malformed central directory";
	next = *off + ZIP_CENTRAL + rd16(c + 28) + rd16(c + 30) + rd16(c + 32);
	if (next > cd_end)
		return "zip: malformed central directory";
	flags = rd16(c + 8);
	e->method = rd16(c + 10);
	e->crc = rd32(c + 16);
	e->csize = rd32(c + 20);
	e->usize = rd32(c + 24);
	e->nlen = rd16(c + 28);
	e->name = c + ZIP_CENTRAL;
	e->start = rd32(c + 42);
	*off = next;
	if (flags & (0x0001 | 0x0040 | 0x2000))
		return "zip: entry is encrypted";
	if (e->method != 0 && e->method != 8)
		return "zip: compression method other than stored or deflate";
	if (e->csize == 0xFFFFFFFFu || e->usize == 0xFFFFFFFFu || e->start == 0xFFFFFFFFu ||
	    rd16(c + 34) != 0)
		return "zip: ZIP64 or multi-disk archive";
	if (e->nlen == 0 || memchr(e->name, '\0', e->nlen) != NULL)
		return "zip: empty or NUL in entry name";
	if (e->method == 0 && e->csize != e->usize)
		return "zip: stored entry with two sizes";
	if (e->usize > FILETYPE_ZIP_MAX_TOTAL)
		return "zip: entry too large uncompressed";
	if (e->usize > ZIP_RATIO_FLOOR && e->usize > e->csize * FILETYPE_ZIP_MAX_RATIO)
		return "zip: compression ratio over the limit (zip bomb)";
	/* The local header must be inside the archive, before the directory, and agree. */
	if (e->start + ZIP_LOCAL > cd_start)
		return "zip: local header out of bounds";
	l = p + e->start;
	lnlen = rd16(l + 26);
	lxlen = rd16(l + 28);
	if (memcmp(l, "PK\3\4", 4) != 0 || rd16(l + 8) != e->method ||
	    (rd16(l + 6) & (0x0001 | 0x0040 | 0x2000)) != 0 || lnlen != e->nlen)
		return "zip: local header does not match the directory";
	e->data = e->start + ZIP_LOCAL + lnlen + lxlen;
	if (e->data + e->csize > cd_start || memcmp(l + ZIP_LOCAL, e->name, e->nlen) != 0)
		return "zip: local header does not match the directory";
	return NULL;
}

/* Reads the whole central directory of the ZIP p[0..len) into a new array *out of *n entries
 * (sorted by local header offset). Returns NULL, or the reason it is refused (*out is then
 * NULL). */
static const char *directory_read(const unsigned char *p, size_t len, struct zip_entry **out,
				  size_t *n)
{
	struct zip_entry *e = NULL;
	uint64_t cd_start, cd_end, off, total = 0;
	const char *why = NULL;
	size_t count, i;
	long eocd;

	*out = NULL;
	*n = 0;
	eocd = eocd_find(p, len);
	if (eocd < 0)
		return "zip: no end of central directory";
	if (eocd >= 20 && memcmp(p + eocd - 20, "PK\6\7", 4) == 0)
		return "zip: ZIP64 archive";
	count = rd16(p + eocd + 10);
	cd_start = rd32(p + eocd + 16);
	cd_end = cd_start + rd32(p + eocd + 12);
	if (rd16(p + eocd + 4) != 0 || rd16(p + eocd + 6) != 0 || rd16(p + eocd + 8) != count)
		return "zip: multi-disk archive";
	if (count == 0 || count > FILETYPE_ZIP_MAX_ENTRIES)
		return "zip: number of entries out of bounds";
	if (cd_end != (uint64_t)eocd)
		return "zip: central directory does not end at its end record";
	e = calloc(count, sizeof *e);
	if (e == NULL)
		return "zip: out of memory";
	for (i = 0, off = cd_start; i < count; i++) {
		why = entry_read(p, &off, cd_end, cd_start, &e[i]);
		if (why != NULL)
			goto fail;
		total += e[i].usize;
	}
	if (off != cd_end) {
		why = "zip: central directory holds more than its entries";
		goto fail;
	}
	if (total > FILETYPE_ZIP_MAX_TOTAL ||
	    (total > ZIP_RATIO_FLOOR && total > (uint64_t)len * FILETYPE_ZIP_MAX_RATIO)) {
		why = "zip: total uncompressed size over the limit (zip bomb)";
		goto fail;
	}
	qsort(e, count, sizeof *e, by_name);
	for (i = 1; i < count; i++) {
		if (by_name(&e[i - 1], &e[i]) == 0) {
			why = "zip: duplicate entry names";
			goto fail;
		}
	}
	qsort(e, count, sizeof *e, by_start);
	for (i = 1; i < count; i++) {
		if (e[i - 1].data + e[i - 1].csize > e[i].start) {
			why = "zip: overlapping entries";
			goto fail;
		}
	}
	*out = e;
	*n = count;
	return NULL;
fail:
	free(e);
	return why;
}

/* ---- DOCX: entry contents -------------------------------------------------------------------- */

/* What is learnt while inflating one entry. */
struct scan {
	bool xml;                  /* an XML part: check encoding and markup declarations */
	bool first;                /* no output seen yet */
	unsigned char carry[CARRY];
	size_t ncarry;
	unsigned char *keep;       /* when not NULL, the output is kept here (CONTENT_TYPES_MAX) */
	size_t nkeep;
	const char *why;           /* set when the content is refused */
};

/* Checks the XML declaration at the start of an XML part (p[0..n) is its first output): after
 * an optional UTF-8 byte order mark, a declaration that names an encoding must name UTF-8. */
static const char *xml_decl_check(const unsigned char *p, size_t n)
{
	const unsigned char *end, *enc;

	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
		p += 3;
		n -= 3;
	}
	if (n < 5 || memcmp(p, "<?xml", 5) != 0)
		return NULL;
	end = memmem(p, n, "?>", 2);
	if (end == NULL)
		return "docx: unterminated XML declaration";
	enc = memmem(p, (size_t)(end - p), "encoding", 8);
	if (enc == NULL)
		return NULL;
	enc += 8;
	while (enc < end && (*enc == ' ' || *enc == '=' || *enc == '\t'))
		enc++;
	if (end - enc < 7 || (*enc != '"' && *enc != '\'') ||
	    strncasecmp((const char *)enc + 1, "utf-8", 5) != 0 || enc[6] != *enc)
		return "docx: XML part not in UTF-8";
	return NULL;
}

/* Feeds n bytes of an entry's output to the scan. */
static void scan_feed(struct scan *s, const unsigned char *p, size_t n)
{
	unsigned char window[CARRY * 2];
	size_t k;

	if (s->why != NULL || n == 0)
		return;
	if (s->keep != NULL) {
		if (s->nkeep + n > CONTENT_TYPES_MAX) {
			s->why = "docx: [Content_Types].xml too large";
			return;
		}
		memcpy(s->keep + s->nkeep, p, n);
		s->nkeep += n;
	}
	if (!s->xml)
		return;
	if (s->first) {
		s->first = false;
		s->why = xml_decl_check(p, n);
		if (s->why != NULL)
			return;
	}
	if (memchr(p, '\0', n) != NULL) {
		s->why = "docx: NUL byte in an XML part (not UTF-8)";
		return;
	}
	/* The markers may straddle two chunks: look at the carried tail plus the new head too. */
	k = n < CARRY ? n : CARRY;
	memcpy(window, s->carry, s->ncarry);
	memcpy(window + s->ncarry, p, k);
	if (has_markup_decl(window, s->ncarry + k) || has_markup_decl(p, n)) {
		s->why = "docx: DOCTYPE or ENTITY declaration in an XML part";
		return;
	}
	if (n >= CARRY) {
		memcpy(s->carry, p + n - CARRY, CARRY);
		s->ncarry = CARRY;
	} else {
		k = s->ncarry + n > CARRY ? s->ncarry + n - CARRY : 0;
		memmove(s->carry, s->carry + k, s->ncarry - k);
		memcpy(s->carry + s->ncarry - k, p, n);
		s->ncarry += n - k;
	}
}

/* Inflates (or copies, when stored) entry e of p into out (CHUNK bytes), feeding the scan and
 * checking size and CRC-32 against the directory. Returns NULL, or the reason it is refused. */
static const char *entry_check(const unsigned char *p, const struct zip_entry *e,
			       unsigned char *out, struct scan *s)
{
	z_stream z = { 0 };
	uint64_t produced = 0;
	uLong crc = crc32(0L, Z_NULL, 0);
	const char *why = NULL;
	size_t n;
	int zrc = Z_OK;

	if (e->method == 0) {
		for (produced = 0; produced < e->usize; produced += n) {
			n = e->usize - produced < CHUNK ? (size_t)(e->usize - produced) : CHUNK;
			crc = crc32(crc, p + e->data + produced, (uInt)n);
			scan_feed(s, p + e->data + produced, n);
		}
		goto done;
	}
	if (inflateInit2(&z, -MAX_WBITS) != Z_OK)
		return "zip: cannot start inflating";
	z.next_in = (Bytef *)(p + e->data);
	z.avail_in = (uInt)e->csize;
	while (zrc != Z_STREAM_END && s->why == NULL) {
		z.next_out = out;
		z.avail_out = CHUNK;
		zrc = inflate(&z, Z_NO_FLUSH);
		if (zrc != Z_OK && zrc != Z_STREAM_END) {
			why = "zip: corrupt deflate data";
			goto end;
		}
		n = CHUNK - z.avail_out;
		produced += n;
		if (produced > e->usize) {
			why = "zip: entry inflates beyond its declared size (zip bomb)";
			goto end;
		}
		if (n == 0 && zrc == Z_OK) {
			why = "zip: truncated deflate data";
			goto end;
		}
		crc = crc32(crc, out, (uInt)n);
		scan_feed(s, out, n);
	}
end:
	inflateEnd(&z);
	if (why != NULL)
		return why;
done:
	if (s->why != NULL)
		return s->why;
	if (produced != e->usize || crc != e->crc)
		return "zip: entry size or CRC-32 does not match the directory";
	return NULL;
}

/* Checks every entry of the directory e[0..n) of the ZIP p and that it is a Word document.
 * Returns NULL, or the reason it is refused. */
static const char *docx_entries_check(const unsigned char *p, const struct zip_entry *e, size_t n)
{
	unsigned char *out = malloc(CHUNK), *types = malloc(CONTENT_TYPES_MAX);
	struct scan s;
	bool has_types = false, has_document = false;
	const char *why = NULL;
	size_t i;

	if (out == NULL || types == NULL) {
		why = "zip: out of memory";
		goto out;
	}
	for (i = 0; i < n && why == NULL; i++) {
		memset(&s, 0, sizeof s);
		s.first = true;
		s.xml = entry_ends(&e[i], ".xml") || entry_ends(&e[i], ".rels");
		if (entry_is(&e[i], "[Content_Types].xml")) {
			has_types = true;
			s.keep = types;
		}
		has_document = has_document || entry_is(&e[i], "word/document.xml");
		if (entry_ends(&e[i], "vbaproject.bin")) {
			why = "docx: holds macros (vbaProject.bin)";
			break;
		}
		why = entry_check(p, &e[i], out, &s);
		if (why == NULL && s.keep != NULL) {
			if (!has_ci(types, s.nkeep, docx_main_type))
				why = "docx: [Content_Types].xml does not declare a Word document";
			else if (has_ci(types, s.nkeep, "macroenabled"))
				why = "docx: macro-enabled document";
		}
	}
	if (why == NULL && (!has_types || !has_document))
		why = "zip: not a Word document ([Content_Types].xml or word/document.xml missing)";
out:
	free(out);
	free(types);
	return why;
}

/* True when p[0..len) passes the DOCX checks of filetype.h; else false and *why says why. */
static bool is_docx(const unsigned char *p, size_t len, const char **why)
{
	struct zip_entry *e;
	size_t n;

	if (len < ZIP_LOCAL || memcmp(p, "PK\3\4", 4) != 0) {
		*why = "not a PDF or a ZIP";
		return false;
	}
	*why = directory_read(p, len, &e, &n);
	if (*why == NULL)
		*why = docx_entries_check(p, e, n);
	free(e);
	return *why == NULL;
}

enum filetype filetype_detect(const void *data, size_t len, const char **why)
{
	const char *reason = NULL;
	enum filetype t = FILETYPE_NONE;

	if (data == NULL || len == 0)
		reason = "empty file";
	else if (len >= 5 && memcmp(data, "%PDF-", 5) == 0)
		t = is_pdf(data, len, &reason) ? FILETYPE_PDF : FILETYPE_NONE;
	else
		t = is_docx(data, len, &reason) ? FILETYPE_DOCX : FILETYPE_NONE;
	if (why != NULL)
		*why = reason;
	return t;
}

const char *filetype_mime(enum filetype t)
{
	switch (t) {
	case FILETYPE_PDF:
		return "application/pdf";
	case FILETYPE_DOCX:
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
	default:
		return NULL;
	}
}

const char *filetype_extension(enum filetype t)
{
	switch (t) {
	case FILETYPE_PDF:
		return ".pdf";
	case FILETYPE_DOCX:
		return ".docx";
	default:
		return NULL;
	}
}

/* ---- names ------------------------------------------------------------------------------------ */

/* Decodes the UTF-8 character at s (NUL-terminated). Returns its length in bytes (0 at the end)
 * and sets *cp, or -1 for an invalid byte, of which the caller skips one. */
static int utf8_next(const unsigned char *s, unsigned long *cp)
{
	int n, i;

	if (s[0] == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		n = 2;
		*cp = s[0] & 0x1Fu;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		n = 3;
		*cp = s[0] & 0x0Fu;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		n = 4;
		*cp = s[0] & 0x07u;
	} else {
		return -1;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return -1;
		*cp = *cp << 6 | (s[i] & 0x3Fu);
	}
	if ((n == 3 && (*cp < 0x800 || (*cp >= 0xD800 && *cp <= 0xDFFF))) ||
	    (n == 4 && (*cp < 0x10000 || *cp > 0x10FFFF)))
		return -1;
	return n;
}

/* Appends code point cp to out as UTF-8; returns the new length. */
static size_t utf8_put(char *out, size_t o, unsigned long cp)
{
	if (cp < 0x80) {
		out[o++] = (char)cp;
	} else if (cp < 0x800) {
		out[o++] = (char)(0xC0 | cp >> 6);
		out[o++] = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		out[o++] = (char)(0xE0 | cp >> 12);
		out[o++] = (char)(0x80 | (cp >> 6 & 0x3F));
		out[o++] = (char)(0x80 | (cp & 0x3F));
	} else {
		out[o++] = (char)(0xF0 | cp >> 18);
		out[o++] = (char)(0x80 | (cp >> 12 & 0x3F));
		out[o++] = (char)(0x80 | (cp >> 6 & 0x3F));
		out[o++] = (char)(0x80 | (cp & 0x3F));
	}
	return o;
}

/* True for characters a display name never keeps. */
static bool name_drops(unsigned long cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp < 0x80 && strchr("\"*:<>?|", (int)cp)) ||
	       cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

void filetype_display_name(const char *client, enum filetype t, char out[FILETYPE_NAME_BYTES])
{
	const char *ext = filetype_extension(t), *base = client, *p;
	unsigned long cps[FILETYPE_NAME_MAX], cp;
	size_t n = 0, k = ext != NULL ? strlen(ext) : 0, stem, i, o = 0;
	bool has_ext = false, truncated = false;
	int len;

	for (p = client; *p != '\0'; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	for (p = base; (len = utf8_next((const unsigned char *)p, &cp)) != 0;
	     p += len > 0 ? len : 1) {
		if (len < 0 || name_drops(cp) || (n == 0 && (cp == ' ' || cp == '.')))
			continue;
		if (n == FILETYPE_NAME_MAX) {
			truncated = true;  /* the stem is cut below and the extension added */
			break;
		}
		cps[n++] = cp;
	}
	while (n > 0 && (cps[n - 1] == ' ' || cps[n - 1] == '.'))
		n--;
	if (!truncated && n >= k) {
		has_ext = true;
		for (i = 0; i < k; i++)
			has_ext = has_ext && cps[n - k + i] < 0x80 &&
				  tolower((int)cps[n - k + i]) == ext[i];
	}
	stem = has_ext ? n - k : n;
	if (stem > FILETYPE_NAME_MAX - k)
		stem = FILETYPE_NAME_MAX - k;
	while (stem > 0 && (cps[stem - 1] == ' ' || cps[stem - 1] == '.'))
		stem--;
	if (stem == 0) {
		memcpy(out, "document", 8);
		o = 8;
	}
	for (i = 0; i < stem; i++)
		o = utf8_put(out, o, cps[i]);
	for (i = 0; i < k; i++)
		out[o++] = ext[i];
	out[o] = '\0';
}

void filetype_content_disposition(struct buf *b, const char *name)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	unsigned long cp;
	int len;

	buf_puts(b, "attachment; filename=\"");
	for (p = (const unsigned char *)name; (len = utf8_next(p, &cp)) != 0; p += len > 0 ? len : 1)
		buf_putc(b, len == 1 && cp >= 0x20 && cp < 0x7F && cp != '"' && cp != '\\' ? (char)cp
										  : '_');
	buf_puts(b, "\"; filename*=UTF-8''");
	for (p = (const unsigned char *)name; *p != '\0'; p++) {
		if (isalnum(*p) || (*p < 0x80 && strchr("!#$&+-.^_`|~", *p) != NULL)) {
			buf_putc(b, (char)*p);
		} else {
			buf_putc(b, '%');
			buf_putc(b, hex[*p >> 4]);
			buf_putc(b, hex[*p & 15]);
		}
	}
}

void filetype_size_label(long long size, char *out, size_t outlen)
{
	if (size < 1024)
		snprintf(out, outlen, "%lld byte%s", size, size == 1 ? "" : "s");
	else if (size < 1024 * 1024)
		snprintf(out, outlen, "%lld KB", (size + 1023) / 1024);
	else
		snprintf(out, outlen, "%.1f MB", (double)size / (1024.0 * 1024.0));
}
