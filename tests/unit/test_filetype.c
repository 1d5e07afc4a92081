/* test_filetype.c - content checks of uploads (core/filetype.c): real PDFs and DOCX files pass;
 * renamed HTML/SVG, polyglots, executables, zip bombs, encrypted or macro-enabled archives and
 * XML with DOCTYPE/ENTITY declarations are refused; display names and Content-Disposition.
 * The ZIP files are built here (a small writer over zlib) so that each hostile shape can be
 * made exactly; one DOCX also comes from Python's zipfile, an independent writer. */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "buf.h"
#include "filetype.h"

/* ---- a minimal ZIP writer ------------------------------------------------------------------ */

struct zfile {
	const char *name;
	const void *data;   /* raw content (deflated here when deflate is set) */
	size_t len;
	bool deflate;
};

/* Offsets of each entry's local header and central header in the archive built. */
struct zmap {
	size_t local[2048];
	size_t central[2048];
	size_t eocd;
};

static void put16(struct buf *b, unsigned v)
{
	buf_putc(b, (char)(v & 0xFF));
	buf_putc(b, (char)(v >> 8 & 0xFF));
}

static void put32(struct buf *b, uint32_t v)
{
	put16(b, v & 0xFFFF);
	put16(b, v >> 16);
}

static void set16(struct buf *b, size_t at, unsigned v)
{
	b->data[at] = (char)(v & 0xFF);
	b->data[at + 1] = (char)(v >> 8 & 0xFF);
}

static void set32(struct buf *b, size_t at, uint32_t v)
{
	set16(b, at, v & 0xFFFF);
	set16(b, at + 2, v >> 16);
}

/* Raw deflate of data[0..len) into out. */
static void deflate_raw(const void *data, size_t len, struct buf *out)
{
	z_stream z = { 0 };
	unsigned char chunk[65536];
	int rc;

	ck_assert_int_eq(deflateInit2(&z, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (Bytef *)data;
	z.avail_in = (uInt)len;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof chunk;
		rc = deflate(&z, Z_FINISH);
		buf_append(out, (const char *)chunk, sizeof chunk - z.avail_out);
	} while (rc == Z_OK);
	ck_assert_int_eq(rc, Z_STREAM_END);
	deflateEnd(&z);
}

/* Builds a ZIP of files f[0..n) into b (reset first), recording offsets in m. */
static void zip_build(struct buf *b, const struct zfile *f, size_t n, struct zmap *m)
{
	struct buf packed[64] = { { 0 } }, *pk;
	struct buf one = { 0 };
	uint32_t crc;
	size_t i, cd;

	buf_reset(b);
	for (i = 0; i < n; i++) {
		pk = i < 64 ? &packed[i] : &one;
		buf_reset(pk);
		if (f[i].deflate)
			deflate_raw(f[i].data, f[i].len, pk);
		else
			buf_append(pk, f[i].data, f[i].len);
		crc = (uint32_t)crc32(0, f[i].data, (uInt)f[i].len);
		m->local[i] = b->len;
		put32(b, 0x04034b50);
		put16(b, 20);
		put16(b, 0);
		put16(b, f[i].deflate ? 8 : 0);
		put16(b, 0);
		put16(b, 0x21);
		put32(b, crc);
		put32(b, (uint32_t)pk->len);
		put32(b, (uint32_t)f[i].len);
		put16(b, (unsigned)strlen(f[i].name));
		put16(b, 0);
		buf_puts(b, f[i].name);
		buf_append(b, pk->data ? pk->data : "", pk->len);
		if (pk == &one)
			buf_free(&one);
	}
	cd = b->len;
	for (i = 0; i < n; i++) {
		size_t csize;
		uint32_t c32;

		/* Read back what the local header says. */
		c32 = (uint32_t)(unsigned char)b->data[m->local[i] + 14] |
		      (uint32_t)(unsigned char)b->data[m->local[i] + 15] << 8 |
		      (uint32_t)(unsigned char)b->data[m->local[i] + 16] << 16 |
		      (uint32_t)(unsigned char)b->data[m->local[i] + 17] << 24;
		csize = (size_t)(unsigned char)b->data[m->local[i] + 18] |
			(size_t)(unsigned char)b->data[m->local[i] + 19] << 8 |
			(size_t)(unsigned char)b->data[m->local[i] + 20] << 16 |
			(size_t)(unsigned char)b->data[m->local[i] + 21] << 24;
		m->central[i] = b->len;
		put32(b, 0x02014b50);
		put16(b, 20);
		put16(b, 20);
		put16(b, 0);
		put16(b, f[i].deflate ? 8 : 0);
		put16(b, 0);
		put16(b, 0x21);
		put32(b, c32);
		put32(b, (uint32_t)csize);
		put32(b, (uint32_t)f[i].len);
		put16(b, (unsigned)strlen(f[i].name));
		put16(b, 0);
		put16(b, 0);
		put16(b, 0);
		put16(b, 0);
		put32(b, 0);
		put32(b, (uint32_t)m->local[i]);
		buf_puts(b, f[i].name);
	}
	m->eocd = b->len;
	put32(b, 0x06054b50);
	put16(b, 0);
	put16(b, 0);
	put16(b, (unsigned)n);
	put16(b, (unsigned)n);
	put32(b, (uint32_t)(m->eocd - cd));
	put32(b, (uint32_t)cd);
	put16(b, 0);
	for (i = 0; i < 64; i++)
		buf_free(&packed[i]);
	ck_assert(!buf_failed(b));
}

static const char content_types[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	"<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package."
	"relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	"<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-"
	"officedocument.wordprocessingml.document.main+xml\"/></Types>";
static const char rels[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
	"relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>";
static const char document[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
	"<w:body><w:p><w:r><w:t>Job description: teacher of mathematics</w:t></w:r></w:p>"
	"</w:body></w:document>";

static struct buf zip;
static struct zmap map;

/* The standard three parts, with document.xml replaced by doc (len bytes) when doc is set. */
static void docx_build(const char *doc, size_t len, bool deflate)
{
	struct zfile f[3] = {
		{ "[Content_Types].xml", content_types, sizeof content_types - 1, deflate },
		{ "_rels/.rels", rels, sizeof rels - 1, deflate },
		{ "word/document.xml", doc ? doc : document, doc ? len : sizeof document - 1, deflate },
	};

	zip_build(&zip, f, 3, &map);
}

static enum filetype detect(const struct buf *b, const char **why)
{
	return filetype_detect(b->data, b->len, why);
}

/* Asserts that b is refused with a reason containing `want`. */
static void refused(const struct buf *b, const char *want)
{
	const char *why = NULL;

	ck_assert_int_eq(detect(b, &why), FILETYPE_NONE);
	ck_assert_ptr_nonnull(why);
	ck_assert_msg(strstr(why, want) != NULL, "reason \"%s\" lacks \"%s\"", why, want);
}

static void teardown(void)
{
	buf_free(&zip);
}

/* ---- PDF ------------------------------------------------------------------------------------ */

static const char pdf[] =
	"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
	"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n"
	"%%EOF\n";

static enum filetype detect_str(const char *s, size_t n, const char **why)
{
	return filetype_detect(s, n, why);
}

START_TEST(pdf_accepted)
{
	const char *why = "unset";
	struct buf b = { 0 };
	size_t i;

	ck_assert_int_eq(detect_str(pdf, sizeof pdf - 1, &why), FILETYPE_PDF);
	ck_assert_ptr_null(why);
	ck_assert_str_eq(filetype_mime(FILETYPE_PDF), "application/pdf");
	ck_assert_str_eq(filetype_extension(FILETYPE_PDF), ".pdf");
	/* Incremental-update padding after %%EOF (within 1024 bytes) is fine. */
	buf_append(&b, pdf, sizeof pdf - 1);
	for (i = 0; i < 1000; i++)
		buf_putc(&b, '\0');
	ck_assert_int_eq(detect(&b, NULL), FILETYPE_PDF);
	for (i = 0; i < 100; i++)
		buf_putc(&b, '\0');
	refused(&b, "%%EOF");
	buf_free(&b);
}
END_TEST

START_TEST(disguised_files_refused)
{
	static const struct {
		const char *data;
		size_t len;
		const char *why;
	} cases[] = {
#define C(s, w) { s, sizeof s - 1, w }
		C("<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>\n"
		  "%%EOF", "not a PDF"),
		C("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>\n", "not a PDF"),
		C("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)"
		  "</script></svg>", "not a PDF"),
		C("GIF89a\x01\x00\x01\x00\x00\x00\x00;%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n",
		  "not a PDF"),
		C("%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n", "polyglot"),
		C("%PDF-1.7\n<SVG onload=alert(1)>\n%%EOF\n", "polyglot"),
		C("<?php system($_GET['c']); ?>\n", "not a PDF"),
		C("\x7f" "ELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00", "not a PDF"),
		C("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", "not a PDF"),
		C("%PDF-\n%%EOF\n", "header"),
		C("%PDF-x.4\n%%EOF\n", "header"),
		C("%PDF-1.4\nno end of file marker\n", "%%EOF"),
		C(" %PDF-1.4\n%%EOF\n", "not a PDF"),
		C("PK\x03\x04", "not a PDF"),
#undef C
	};
	const char *why;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		why = NULL;
		ck_assert_msg(detect_str(cases[i].data, cases[i].len, &why) == FILETYPE_NONE,
			      "accepted case %zu", i);
		ck_assert_msg(why != NULL && strstr(why, cases[i].why) != NULL,
			      "case %zu: reason %s", i, why ? why : "NULL");
	}
	ck_assert_int_eq(filetype_detect("", 0, &why), FILETYPE_NONE);
	ck_assert_str_eq(why, "empty file");
	ck_assert_int_eq(filetype_detect(NULL, 0, NULL), FILETYPE_NONE);
	ck_assert_ptr_null(filetype_mime(FILETYPE_NONE));
	ck_assert_ptr_null(filetype_extension(FILETYPE_NONE));
}
END_TEST

/* ---- DOCX ----------------------------------------------------------------------------------- */

START_TEST(docx_accepted)
{
	const char *why = "unset";

	docx_build(NULL, 0, true);
	ck_assert_int_eq(detect(&zip, &why), FILETYPE_DOCX);
	ck_assert_ptr_null(why);
	docx_build(NULL, 0, false);
	ck_assert_int_eq(detect(&zip, NULL), FILETYPE_DOCX);
	ck_assert_str_eq(filetype_mime(FILETYPE_DOCX),
			 "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
	ck_assert_str_eq(filetype_extension(FILETYPE_DOCX), ".docx");
}
END_TEST

START_TEST(docx_from_python_zipfile)
{
	char dir[] = "/tmp/portal-filetype.XXXXXX", cmd[1024], path[128];
	struct buf b = { 0 };
	char chunk[4096];
	size_t n;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/sample.docx", dir);
	snprintf(cmd, sizeof cmd,
		 "/usr/bin/python3 -c 'import sys, zipfile\n"
		 "z = zipfile.ZipFile(sys.argv[1], \"w\", zipfile.ZIP_DEFLATED)\n"
		 "z.writestr(\"[Content_Types].xml\", sys.argv[2])\n"
		 "z.writestr(\"_rels/.rels\", sys.argv[3])\n"
		 "z.writestr(\"word/document.xml\", sys.argv[4])\n"
		 "z.writestr(\"word/media/\", \"\")\n"
		 "z.writestr(\"docProps/app.xml\", \"<?xml version=\\\"1.0\\\"?><Properties/>\")\n"
		 "z.close()' %s \"$CT\" \"$RELS\" \"$DOC\"", path);
	ck_assert_int_eq(setenv("CT", content_types, 1), 0);
	ck_assert_int_eq(setenv("RELS", rels, 1), 0);
	ck_assert_int_eq(setenv("DOC", document, 1), 0);
	ck_assert_int_eq(system(cmd), 0);
	f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	unlink(path);
	rmdir(dir);
	ck_assert_int_eq(detect(&b, NULL), FILETYPE_DOCX);
	/* Cut short, it is no longer a ZIP. */
	b.len -= 10;
	refused(&b, "zip:");
	buf_free(&b);
}
END_TEST

START_TEST(not_a_word_document)
{
	static const char xlsx_types[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types><Override PartName=\"/xl/workbook.xml\" "
		"ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
		"\"/></Types>";
	static const char docm_types[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types><Override PartName=\"/word/document.xml\" "
		"ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document."
		"main+xml\"/><Override PartName=\"/word/vbaData.xml\" ContentType=\"application/"
		"vnd.ms-word.vbaData+xml\"/><Default Extension=\"bin\" ContentType=\"application/"
		"vnd.ms-office.vbaProject\"/><Override PartName=\"/x\" ContentType=\"application/"
		"vnd.ms-word.document.macroEnabled.main+xml\"/></Types>";
	struct zfile f[4] = {
		{ "[Content_Types].xml", xlsx_types, sizeof xlsx_types - 1, true },
		{ "xl/workbook.xml", "<workbook/>", 11, true },
	};

	zip_build(&zip, f, 2, &map);
	refused(&zip, "does not declare a Word document");
	f[0].data = content_types;
	f[0].len = sizeof content_types - 1;
	zip_build(&zip, f, 2, &map);
	refused(&zip, "word/document.xml missing");
	f[1].name = "word/document.xml";
	f[1].data = document;
	f[1].len = sizeof document - 1;
	zip_build(&zip, f + 1, 1, &map);
	refused(&zip, "[Content_Types].xml or word/document.xml missing");
	/* Macros: a vbaProject.bin, or a macro-enabled content type. */
	f[2].name = "word/vbaProject.bin";
	f[2].data = "\xd0\xcf\x11\xe0";
	f[2].len = 4;
	zip_build(&zip, f, 3, &map);
	refused(&zip, "macros");
	f[0].data = docm_types;
	f[0].len = sizeof docm_types - 1;
	zip_build(&zip, f, 2, &map);
	refused(&zip, "macro-enabled");
}
END_TEST

START_TEST(xml_declarations_refused)
{
	static const char *const docs[] = {
		"<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
		"<w:document>&x;</w:document>",
		"<?xml version=\"1.0\"?>\n<!doctype lol [<!entity lol \"lol\">]><w:document/>",
		"<w:document><!ENTITY a \"b\"></w:document>",
	};
	size_t i;

	for (i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		docx_build(docs[i], strlen(docs[i]), i % 2 == 0);
		refused(&zip, "DOCTYPE or ENTITY");
	}
}
END_TEST

START_TEST(doctype_in_other_parts_refused)
{
	static const char bad_types[] =
		"<?xml version=\"1.0\"?><!DOCTYPE Types SYSTEM \"http://attacker.example/x.dtd\">"
		"<Types><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd."
		"openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>";
	static const char bad_rels[] =
		"<!DOCTYPE r [<!ENTITY e SYSTEM \"http://x/\">]><Relationships/>";
	struct zfile f[3] = {
		{ "[Content_Types].xml", bad_types, sizeof bad_types - 1, true },
		{ "word/document.xml", document, sizeof document - 1, true },
		{ "word/_rels/document.xml.rels", bad_rels, sizeof bad_rels - 1, false },
	};

	zip_build(&zip, f, 2, &map);
	refused(&zip, "DOCTYPE or ENTITY");
	f[0].data = content_types;
	f[0].len = sizeof content_types - 1;
	zip_build(&zip, f, 3, &map);
	refused(&zip, "DOCTYPE or ENTITY");
}
END_TEST

START_TEST(doctype_across_chunks_refused)
{
	size_t n = 200000, at;
	char *doc = malloc(n);
	int deflate;

	ck_assert_ptr_nonnull(doc);
	for (at = 65536 - 12; at <= 65536 + 1; at += 13) {
		for (deflate = 0; deflate <= 1; deflate++) {
			memset(doc, ' ', n);
			memcpy(doc, "<w:document>", 12);
			memcpy(doc + at, "<!DOCTYPE", 9);
			docx_build(doc, n, deflate);
			refused(&zip, "DOCTYPE or ENTITY");
		}
	}
	for (at = 65536 - 8; at <= 65536; at++) {
		memset(doc, ' ', n);
		memcpy(doc + at, "<!ENTITY", 8);
		docx_build(doc, n, true);
		refused(&zip, "DOCTYPE or ENTITY");
	}
	free(doc);
}
END_TEST

START_TEST(xml_encodings)
{
	static const char utf16[] = "<\0?\0x\0m\0l\0 \0v\0e\0r\0";
	static const char *const bad[] = {
		"<?xml version=\"1.0\" encoding=\"UTF-16\"?><w:document/>",
		"<?xml version=\"1.0\" encoding=\"UTF-7\"?>+ADw-!DOCTYPE",
		"<?xml version=\"1.0\" encoding=\"utf-8 \"?><w:document/>",
		"<?xml version=\"1.0\" encoding=\"UTF-8\"<w:document/>",
	};
	static const char *const good[] = {
		"<?xml version='1.0' encoding='utf-8'?><w:document/>",
		"\xEF\xBB\xBF<?xml version=\"1.0\" encoding = \"UTF-8\"?><w:document/>",
		"<w:document/>",
	};
	size_t i;

	docx_build(utf16, sizeof utf16 - 1, true);
	refused(&zip, "NUL byte");
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		docx_build(bad[i], strlen(bad[i]), true);
		ck_assert_msg(detect(&zip, NULL) == FILETYPE_NONE, "accepted bad case %zu", i);
	}
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		docx_build(good[i], strlen(good[i]), true);
		ck_assert_msg(detect(&zip, NULL) == FILETYPE_DOCX, "refused good case %zu", i);
	}
}
END_TEST

START_TEST(zip_bombs_refused)
{
	size_t big = 50u << 20, i;
	char *pad = malloc(big);  /* spaces: XML-safe, compresses 1000 times */
	struct zfile f[64];

	ck_assert_ptr_nonnull(pad);
	memset(pad, ' ', big);
	/* One entry that inflates 1000 times. */
	docx_build(pad, big, true);
	refused(&zip, "ratio");
	/* The same stream declared as 1,000,000 bytes (under the ratio floor): inflating stops as
	 * soon as it passes the declared size. */
	set32(&zip, map.local[2] + 22, 1000000);
	set32(&zip, map.central[2] + 24, 1000000);
	refused(&zip, "beyond its declared size");
	/* Many entries of 1 MiB each, each at the floor: the archive's ratio gives it away. */
	f[0] = (struct zfile){ "[Content_Types].xml", content_types, sizeof content_types - 1, true };
	f[1] = (struct zfile){ "word/document.xml", document, sizeof document - 1, true };
	for (i = 2; i < 62; i++) {
		char *name = malloc(32);

		ck_assert_ptr_nonnull(name);
		snprintf(name, 32, "word/media/pad%zu.bin", i);
		f[i] = (struct zfile){ name, pad, 1u << 20, true };
	}
	zip_build(&zip, f, 62, &map);
	refused(&zip, "total uncompressed size");
	for (i = 2; i < 62; i++)
		free((char *)f[i].name);
	/* Over FILETYPE_ZIP_MAX_TOTAL in all is refused whatever the ratio (stored entries). */
	f[2] = (struct zfile){ "word/media/a.bin", pad, 35u << 20, false };
	f[3] = (struct zfile){ "word/media/b.bin", pad, 35u << 20, false };
	f[4] = (struct zfile){ "word/media/c.bin", pad, 35u << 20, false };
	zip_build(&zip, f, 5, &map);
	refused(&zip, "total uncompressed size");
	free(pad);
}
END_TEST

START_TEST(too_many_entries_refused)
{
	static struct zfile f[1001];
	static char names[1001][24];
	size_t i;

	f[0] = (struct zfile){ "[Content_Types].xml", content_types, sizeof content_types - 1, false };
	f[1] = (struct zfile){ "word/document.xml", document, sizeof document - 1, false };
	for (i = 2; i < 1001; i++) {
		snprintf(names[i], sizeof names[i], "word/p%zu.txt", i);
		f[i] = (struct zfile){ names[i], "x", 1, false };
	}
	zip_build(&zip, f, 1000, &map);
	ck_assert_int_eq(detect(&zip, NULL), FILETYPE_DOCX);
	zip_build(&zip, f, 1001, &map);
	refused(&zip, "number of entries");
}
END_TEST

START_TEST(zip_structure_attacks_refused)
{
	struct zfile dup[3] = {
		{ "[Content_Types].xml", content_types, sizeof content_types - 1, false },
		{ "word/document.xml", document, sizeof document - 1, false },
		{ "word/document.xml", "<w:document/>", 13, false },
	};

	/* Encrypted entry (flag bit 0), in the directory. */
	docx_build(NULL, 0, true);
	set16(&zip, map.central[2] + 8, 1);
	refused(&zip, "encrypted");
	/* Compression other than stored/deflate (bzip2 = 12). */
	docx_build(NULL, 0, true);
	set16(&zip, map.central[1] + 10, 12);
	refused(&zip, "compression method");
	/* ZIP64 markers. */
	docx_build(NULL, 0, true);
	set32(&zip, map.central[0] + 24, 0xFFFFFFFFu);
	refused(&zip, "ZIP64");
	/* Wrong CRC-32 (one content byte changed in a stored entry). */
	docx_build(NULL, 0, false);
	zip.data[map.local[2] + 30 + strlen("word/document.xml") + 60] ^= 1;
	refused(&zip, "CRC-32");
	/* Local header that disagrees with the directory. */
	docx_build(NULL, 0, true);
	zip.data[map.local[1] + 30] = 'X';
	refused(&zip, "local header");
	/* Local header offset out of the archive. */
	docx_build(NULL, 0, true);
	set32(&zip, map.central[1] + 42, (uint32_t)zip.len);
	refused(&zip, "out of bounds");
	/* Overlapping entries: the first (stored) entry claims to extend over the second. */
	docx_build(NULL, 0, false);
	set32(&zip, map.local[0] + 18, (uint32_t)(map.local[1] + 10 - map.local[0] - 30 - 19));
	set32(&zip, map.local[0] + 22, (uint32_t)(map.local[1] + 10 - map.local[0] - 30 - 19));
	set32(&zip, map.central[0] + 20, (uint32_t)(map.local[1] + 10 - map.local[0] - 30 - 19));
	set32(&zip, map.central[0] + 24, (uint32_t)(map.local[1] + 10 - map.local[0] - 30 - 19));
	refused(&zip, "overlapping");
	/* Two entries of the same name. */
	zip_build(&zip, dup, 3, &map);
	refused(&zip, "duplicate");
	/* Trailing bytes after the end record, or the record cut off. */
	docx_build(NULL, 0, true);
	buf_puts(&zip, "trailing");
	refused(&zip, "end of central directory");
	docx_build(NULL, 0, true);
	zip.len -= 5;
	refused(&zip, "end of central directory");
	/* A directory that does not end at the end record. */
	docx_build(NULL, 0, true);
	set32(&zip, map.eocd + 12, (uint32_t)(map.eocd - map.central[0] - 1));
	refused(&zip, "central directory");
	/* Multi-disk. */
	docx_build(NULL, 0, true);
	set16(&zip, map.eocd + 4, 1);
	refused(&zip, "multi-disk");
	/* A stored entry with two different sizes. */
	docx_build(NULL, 0, false);
	set32(&zip, map.central[1] + 20, 5);
	refused(&zip, "two sizes");
}
END_TEST

/* Random mutations of a valid DOCX: detect returns, never crashes or reads out of bounds (each
 * input lives in an allocation of exactly its size; run under SANITIZE=1). */
START_TEST(fuzz_mutations)
{
	uint32_t x = 7;
	size_t i, k, len;
	char *exact;
	int round;

	for (round = 0; round < 6000; round++) {
		docx_build(NULL, 0, round % 2 == 0);
		len = zip.len;
		for (k = 0; k <= (size_t)(round % 3); k++) {
			x = x * 1664525u + 1013904223u;
			i = (x >> 8) % len;
			if ((x >> 4) % 5 == 0)
				len = i + 1;
			else
				zip.data[i] = (char)(x >> 24);
		}
		exact = malloc(len);
		ck_assert_ptr_nonnull(exact);
		memcpy(exact, zip.data, len);
		(void)filetype_detect(exact, len, NULL);
		free(exact);
	}
}
END_TEST

/* ---- names ---------------------------------------------------------------------------------- */

START_TEST(display_names)
{
	static const struct {
		const char *in;
		enum filetype t;
		const char *out;
	} cases[] = {
		{ "cv.pdf", FILETYPE_PDF, "cv.pdf" },
		{ "../../etc/passwd", FILETYPE_PDF, "passwd.pdf" },
		{ "C:\\Users\\me\\Job description.PDF", FILETYPE_PDF, "Job description.pdf" },
		{ "x.php.pdf", FILETYPE_PDF, "x.php.pdf" },
		{ "shell.php", FILETYPE_PDF, "shell.php.pdf" },
		{ "report", FILETYPE_DOCX, "report.docx" },
		{ "cv.doc", FILETYPE_DOCX, "cv.doc.docx" },
		{ "a\r\nSet-Cookie: x=1.pdf", FILETYPE_PDF, "aSet-Cookie x=1.pdf" },
		{ "say \"hi\" <b>|*?.pdf", FILETYPE_PDF, "say hi b.pdf" },
		{ "cv\xe2\x80\xae" "fdp.exe", FILETYPE_PDF, "cvfdp.exe.pdf" },
		{ "\xef\xbb\xbf...hidden.pdf", FILETYPE_PDF, "hidden.pdf" },
		{ "...", FILETYPE_PDF, "document.pdf" },
		{ "", FILETYPE_DOCX, "document.docx" },
		{ "dir/", FILETYPE_PDF, "document.pdf" },
		{ " name . . ", FILETYPE_PDF, "name.pdf" },
		{ "caf\xe9\xc3\xa9.pdf", FILETYPE_PDF, "caf\xc3\xa9.pdf" },
		{ "Lehrer \xe6\x95\x99\xe5\xb8\xab \xf0\x9f\x8d\x8e.docx", FILETYPE_DOCX,
		  "Lehrer \xe6\x95\x99\xe5\xb8\xab \xf0\x9f\x8d\x8e.docx" },
		{ "tab\there\x7f\xc2\x85.pdf", FILETYPE_PDF, "tabhere.pdf" },
	};
	char out[FILETYPE_NAME_BYTES], in[2000];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		filetype_display_name(cases[i].in, cases[i].t, out);
		ck_assert_msg(strcmp(out, cases[i].out) == 0, "case %zu: \"%s\"", i, out);
	}
	/* Long names keep their start and the extension, within 200 characters. */
	memset(in, 'a', 300);
	strcpy(in + 300, ".pdf");
	filetype_display_name(in, FILETYPE_PDF, out);
	ck_assert_uint_eq(strlen(out), 200);
	ck_assert_str_eq(out + 196, ".pdf");
	for (i = 0; i < 250; i++)
		memcpy(in + 2 * i, "\xc3\xa9", 2);
	strcpy(in + 500, ".docx");
	filetype_display_name(in, FILETYPE_DOCX, out);
	ck_assert_uint_eq(strlen(out), 195 * 2 + 5);
	ck_assert_str_eq(out + 390, ".docx");
	memset(in, 'b', 197);
	strcpy(in + 197, ".pdf");
	filetype_display_name(in, FILETYPE_PDF, out);
	ck_assert_uint_eq(strlen(out), 200);
	memset(in, 'b', 196);
	strcpy(in + 196, ".pdf");
	filetype_display_name(in, FILETYPE_PDF, out);
	ck_assert_str_eq(in, out);
}
END_TEST

START_TEST(content_disposition)
{
	struct buf b = { 0 };

	filetype_content_disposition(&b, "cv.pdf");
	ck_assert_str_eq(buf_str(&b), "attachment; filename=\"cv.pdf\"; filename*=UTF-8''cv.pdf");
	buf_reset(&b);
	filetype_content_disposition(&b, "Lehrer \xc3\xa9t\xc3\xa9 (2).pdf");
	ck_assert_str_eq(buf_str(&b), "attachment; filename=\"Lehrer _t_ (2).pdf\"; "
				      "filename*=UTF-8''Lehrer%20%C3%A9t%C3%A9%20%282%29.pdf");
	buf_reset(&b);
	filetype_content_disposition(&b, "a;b=c%d.pdf");
	ck_assert_str_eq(buf_str(&b), "attachment; filename=\"a;b=c%d.pdf\"; "
				      "filename*=UTF-8''a%3Bb%3Dc%25d.pdf");
	buf_free(&b);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("filetype");
	TCase *tc = tcase_create("filetype");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, pdf_accepted);
	tcase_add_test(tc, disguised_files_refused);
	tcase_add_test(tc, docx_accepted);
	tcase_add_test(tc, docx_from_python_zipfile);
	tcase_add_test(tc, not_a_word_document);
	tcase_add_test(tc, xml_declarations_refused);
	tcase_add_test(tc, doctype_in_other_parts_refused);
	tcase_add_test(tc, doctype_across_chunks_refused);
	tcase_add_test(tc, xml_encodings);
	tcase_add_test(tc, zip_bombs_refused);
	tcase_add_test(tc, too_many_entries_refused);
	tcase_add_test(tc, zip_structure_attacks_refused);
	tcase_add_test(tc, fuzz_mutations);
	tcase_add_test(tc, display_names);
	tcase_add_test(tc, content_disposition);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
