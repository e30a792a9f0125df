/*
 * check_csvread.c: bytes -> rows of UTF-8 fields with their physical line.
 *
 * Each test writes its fixture bytes into a fresh directory, reads them
 * with gr_csv_read and compares every row (fields and starting line), the
 * line count and the SHA-256 (computed here with libcrypto's one-shot
 * EVP_Digest over the same bytes, independently of the reader's streaming
 * hash).
 */
#include <iconv.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/csvread.h"
#include "grantrec/inputs.h"
#include "unit.h"

struct rec {
	long line;
	size_t nfields;
	char **fields;
};

struct rows {
	struct rec *recs;
	size_t count, cap;
	size_t stop_after; /* 0: never stop */
};

static bool collect(void *ctx, const struct gr_csv_row *row)
{
	struct rows *rows = ctx;
	if (rows->count == rows->cap) {
		rows->cap = rows->cap ? rows->cap * 2 : 8;
		rows->recs = realloc(rows->recs, rows->cap * sizeof(*rows->recs));
		ck_assert_ptr_nonnull(rows->recs);
	}
	struct rec *r = &rows->recs[rows->count++];
	r->line = row->line;
	r->nfields = row->nfields;
	r->fields = calloc(row->nfields ? row->nfields : 1, sizeof(char *));
	ck_assert_ptr_nonnull(r->fields);
	for (size_t i = 0; i < row->nfields; i++) {
		r->fields[i] = strdup(row->fields[i]);
		ck_assert_ptr_nonnull(r->fields[i]);
	}
	return rows->stop_after == 0 || rows->count < rows->stop_after;
}

static void rows_free(struct rows *rows)
{
	for (size_t i = 0; i < rows->count; i++) {
		for (size_t k = 0; k < rows->recs[i].nfields; k++)
			free(rows->recs[i].fields[k]);
		free(rows->recs[i].fields);
	}
	free(rows->recs);
	memset(rows, 0, sizeof(*rows));
}

/* One read: the fixture, what came out, and the diagnostics. */
struct run {
	char *dir;
	char *path;
	struct gr_input input;
	struct rows rows;
	struct gr_diags diags;
	enum gr_status status;
};

static void run_bytes(struct run *run, const void *data, size_t len,
                      char delimiter, enum gr_encoding encoding)
{
	memset(run, 0, sizeof(*run));
	run->dir = ut_mkdir("csv");
	run->path = ut_write_bytes(run->dir, "in.csv", data, len);
	run->input.path = run->path;
	run->input.role = (char *)"test";
	run->input.name = (char *)"in.csv";
	struct gr_csv_options opt = { .delimiter = delimiter, .encoding = encoding };
	run->status = gr_csv_read(&run->input, &opt, collect, &run->rows,
	                          &run->diags);
}

static void run_text(struct run *run, const char *text, char delimiter,
                     enum gr_encoding encoding)
{
	run_bytes(run, text, strlen(text), delimiter, encoding);
}

static void run_free(struct run *run)
{
	rows_free(&run->rows);
	gr_diags_release(&run->diags);
	ut_rmtree(run->dir);
	free(run->path);
	free(run->dir);
}

static void sha256_hex(char out[65], const void *data, size_t len)
{
	unsigned char md[32];
	unsigned int n = 0;
	ck_assert(EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) == 1);
	ck_assert_uint_eq(n, 32);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* Checks row `i`: its line and its fields (a NULL-terminated list). */
static void expect_row(const struct run *run, size_t i, long line, ...)
{
	ck_assert_msg(i < run->rows.count, "row %zu missing (%zu rows)%s", i,
	              run->rows.count, ut_diags_text(&run->diags));
	const struct rec *r = &run->rows.recs[i];
	ck_assert_msg(r->line == line, "row %zu starts on line %ld, expected %ld",
	              i, r->line, line);
	va_list ap;
	va_start(ap, line);
	size_t k = 0;
	for (const char *f; (f = va_arg(ap, const char *)) != NULL; k++) {
		ck_assert_msg(k < r->nfields, "row %zu: %zu fields, expected more", i,
		              r->nfields);
		ck_assert_msg(strcmp(r->fields[k], f) == 0,
		              "row %zu field %zu: '%s', expected '%s'", i, k,
		              r->fields[k], f);
	}
	va_end(ap);
	ck_assert_msg(k == r->nfields, "row %zu: %zu fields, expected %zu", i,
	              r->nfields, k);
}

#define expect_ok(run, nrows, nlines)                                        \
	do {                                                                     \
		ck_assert_msg((run)->status == GR_OK, "status %d:%s",                \
		              (int)(run)->status, ut_diags_text(&(run)->diags));     \
		ck_assert_msg((run)->diags.count == 0, "diagnostics:%s",             \
		              ut_diags_text(&(run)->diags));                         \
		ck_assert_msg((run)->rows.count == (size_t)(nrows), "%zu rows, expected %d", \
		              (run)->rows.count, (int)(nrows));                      \
		ck_assert_msg((run)->input.lines == (long)(nlines),                        \
		              "%ld lines, expected %d", (run)->input.lines,          \
		              (int)(nlines));                                        \
	} while (0)

/* An error on `line` whose message contains `frag`. */
#define expect_error(run, line, frag)                                        \
	do {                                                                     \
		ck_assert_msg((run)->status == GR_E_INPUT, "status %d, expected "    \
		              "GR_E_INPUT:%s", (int)(run)->status,                   \
		              ut_diags_text(&(run)->diags));                         \
		const struct gr_diag *d_ = ut_find_diag(&(run)->diags, (line), (frag)); \
		ck_assert_msg(d_ != NULL, "no error on line %ld mentioning '%s':%s", \
		              (long)(line), (frag), ut_diags_text(&(run)->diags));   \
		ck_assert_msg(d_->file && strcmp(d_->file, (run)->path) == 0,        \
		              "the error names '%s', not the file",                  \
		              d_->file ? d_->file : "(none)");                       \
	} while (0)

/* ---- line ends and line numbers ------------------------------------------ */

START_TEST(test_lf)
{
	struct run run;
	run_text(&run, "a,b\n1,2\n3,4\n", ',', GR_ENC_UTF8);
	expect_ok(&run, 3, 3);
	expect_row(&run, 0, 1, "a", "b", NULL);
	expect_row(&run, 1, 2, "1", "2", NULL);
	expect_row(&run, 2, 3, "3", "4", NULL);
	run_free(&run);
}
END_TEST

START_TEST(test_crlf)
{
	struct run run;
	run_text(&run, "a,b\r\n1,2\r\n3,4\r\n", ',', GR_ENC_UTF8);
	expect_ok(&run, 3, 3);
	expect_row(&run, 0, 1, "a", "b", NULL);
	expect_row(&run, 1, 2, "1", "2", NULL);
	expect_row(&run, 2, 3, "3", "4", NULL);
	run_free(&run);
}
END_TEST

START_TEST(test_cr_only)
{
	struct run run;
	run_text(&run, "a,b\r1,2\r3,4\r", ',', GR_ENC_UTF8);
	expect_ok(&run, 3, 3);
	expect_row(&run, 0, 1, "a", "b", NULL);
	expect_row(&run, 1, 2, "1", "2", NULL);
	expect_row(&run, 2, 3, "3", "4", NULL);
	run_free(&run);
}
END_TEST

START_TEST(test_last_line_without_newline)
{
	static const char *const texts[] = {
		"a,b\n1,2", "a,b\r\n1,2", "a,b\r1,2",
	};
	for (size_t i = 0; i < 3; i++) {
		struct run run;
		run_text(&run, texts[i], ',', GR_ENC_UTF8);
		expect_ok(&run, 2, 2);
		expect_row(&run, 0, 1, "a", "b", NULL);
		expect_row(&run, 1, 2, "1", "2", NULL);
		run_free(&run);
	}
}
END_TEST

START_TEST(test_empty_file)
{
	struct run run;
	run_text(&run, "", ',', GR_ENC_UTF8);
	expect_ok(&run, 0, 0);
	/* SHA-256 of no bytes at all */
	ck_assert_str_eq(run.input.sha256,
	                 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	run_free(&run);
}
END_TEST

START_TEST(test_quoted_newline)
{
	struct run run;
	/* line 1 header, lines 2-3 one record, line 4 the next */
	run_text(&run, "a,b\n\"x\ny\",2\n3,4\n", ',', GR_ENC_UTF8);
	expect_ok(&run, 3, 4);
	expect_row(&run, 1, 2, "x\ny", "2", NULL);
	expect_row(&run, 2, 4, "3", "4", NULL);
	run_free(&run);

	/* CRLF inside the quotes is kept as written */
	run_text(&run, "a,b\r\n\"x\r\ny\",2\r\n3,4\r\n", ',', GR_ENC_UTF8);
	expect_ok(&run, 3, 4);
	expect_row(&run, 1, 2, "x\r\ny", "2", NULL);
	expect_row(&run, 2, 4, "3", "4", NULL);
	run_free(&run);

	/* a blank line inside a quoted field is part of the field, and a
	 * record spanning lines 2-5 puts the next one on line 6 */
	run_text(&run, "a,b\n\"x\n\n\ny\",2\n3,4\n", ',', GR_ENC_UTF8);
	expect_ok(&run, 3, 6);
	expect_row(&run, 1, 2, "x\n\n\ny", "2", NULL);
	expect_row(&run, 2, 6, "3", "4", NULL);
	run_free(&run);
}
END_TEST

START_TEST(test_doubled_quotes)
{
	struct run run;
	run_text(&run, "a,b\n\"he said \"\"hi\"\"\",\"1,5\"\n\"\"\"\",\"\"\n", ',',
	         GR_ENC_UTF8);
	expect_ok(&run, 3, 3);
	expect_row(&run, 1, 2, "he said \"hi\"", "1,5", NULL);
	expect_row(&run, 2, 3, "\"", "", NULL);
	run_free(&run);
}
END_TEST

/* Spaces around fields are data: libcsv must not trim them. */
START_TEST(test_spaces_kept)
{
	struct run run;
	run_text(&run, "a,b\n 1 ,\t2\n", ',', GR_ENC_UTF8);
	expect_ok(&run, 2, 2);
	expect_row(&run, 1, 2, " 1 ", "\t2", NULL);
	run_free(&run);
}
END_TEST

START_TEST(test_blank_lines_skipped)
{
	struct run run;
	/* 1 header, 2 empty, 3 data, 4 spaces, 5 a row of one delimiter,
	 * 6 data, 7 a row of three delimiters, 8 data */
	run_text(&run, "a,b\n\n1,2\n   \n,\n3,4\n,,,\n5,6\n", ',', GR_ENC_UTF8);
	expect_ok(&run, 4, 8);
	expect_row(&run, 0, 1, "a", "b", NULL);
	expect_row(&run, 1, 3, "1", "2", NULL);
	expect_row(&run, 2, 6, "3", "4", NULL);
	expect_row(&run, 3, 8, "5", "6", NULL);
	run_free(&run);

	/* leading blank lines: the header is on line 3 */
	run_text(&run, "\r\n\r\na;b\r\n1;2\r\n\r\n", ';', GR_ENC_UTF8);
	expect_ok(&run, 2, 5);
	expect_row(&run, 0, 3, "a", "b", NULL);
	expect_row(&run, 1, 4, "1", "2", NULL);
	run_free(&run);
}
END_TEST

START_TEST(test_delimiters)
{
	static const struct { char delim; const char *text; } cases[] = {
		{';', "a;b\n1,5;\"x;y\"\n"},
		{'\t', "a\tb\n1,5\t\"x\ty\"\n"},
		{'|', "a|b\n1,5|\"x|y\"\n"},
	};
	for (size_t i = 0; i < 3; i++) {
		struct run run;
		run_text(&run, cases[i].text, cases[i].delim, GR_ENC_UTF8);
		expect_ok(&run, 2, 2);
		expect_row(&run, 0, 1, "a", "b", NULL);
		char quoted[4] = {'x', cases[i].delim, 'y', 0};
		expect_row(&run, 1, 2, "1,5", quoted, NULL);
		run_free(&run);
	}
}
END_TEST

/* ---- encodings ------------------------------------------------------------- */

START_TEST(test_bom_stripped)
{
	struct run run;
	run_text(&run, "\xef\xbb\xbf" "a,b\n1,2\n", ',', GR_ENC_UTF8);
	expect_ok(&run, 2, 2);
	expect_row(&run, 0, 1, "a", "b", NULL);
	expect_row(&run, 1, 2, "1", "2", NULL);
	run_free(&run);
	/* a BOM followed by a quoted header cell */
	run_text(&run, "\xef\xbb\xbf\"a\",b\r\n", ',', GR_ENC_UTF8);
	expect_ok(&run, 1, 1);
	expect_row(&run, 0, 1, "a", "b", NULL);
	run_free(&run);
}
END_TEST

START_TEST(test_bom_with_windows_1252)
{
	struct run run;
	run_text(&run, "\xef\xbb\xbf" "a,b\n1,2\n", ',', GR_ENC_WINDOWS_1252);
	expect_error(&run, 1, "byte-order mark");
	run_free(&run);
}
END_TEST

START_TEST(test_windows_1252)
{
	struct run run;
	/* 0xE9 e-acute, 0x80 euro sign, 0x96 en dash, 0xA0 no-break space */
	run_text(&run, "a,b\n\xe9t\xe9,\x80 5\n\x96,x\xa0y\n", ',',
	         GR_ENC_WINDOWS_1252);
	expect_ok(&run, 3, 3);
	expect_row(&run, 1, 2, "\xc3\xa9t\xc3\xa9", "\xe2\x82\xac 5", NULL);
	expect_row(&run, 2, 3, "\xe2\x80\x93", "x\xc2\xa0y", NULL);
	run_free(&run);
}
END_TEST

START_TEST(test_windows_1252_undefined_byte)
{
	struct run run;
	/* 0x81 has no character in Windows-1252 */
	run_text(&run, "a,b\n1,2\nx,\x81\n", ',', GR_ENC_WINDOWS_1252);
	expect_error(&run, 3, "0x81");
	run_free(&run);
}
END_TEST

START_TEST(test_invalid_utf8)
{
	static const struct { const char *text; long line; const char *frag; } cases[] = {
		{"a,b\n1,\xff\n", 2, "column 3"},
		{"a,b\n1,2\nab\xe9\n", 3, "column 3"},       /* Latin-1 e-acute */
		{"a,b\n\xc0\xaf,2\n", 2, "column 1"},       /* overlong '/' */
		{"a,b\n1,\xed\xa0\x80\n", 2, "column 3"},   /* a UTF-16 surrogate */
		{"a,b\n1,x\xe2\x82\n", 2, "column 4"},      /* cut short */
		{"a,b\n1,\xf4\x90\x80\x80\n", 2, "column 3"}, /* above U+10FFFF */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct run run;
		run_text(&run, cases[i].text, ',', GR_ENC_UTF8);
		expect_error(&run, cases[i].line, cases[i].frag);
		run_free(&run);
	}
}
END_TEST

START_TEST(test_valid_utf8)
{
	struct run run;
	/* 2-, 3- and 4-byte sequences: e-acute, euro, an emoji */
	run_text(&run, "a,b\n\xc3\xa9,\xe2\x82\xac\xf0\x9f\x98\x80\n", ',',
	         GR_ENC_UTF8);
	expect_ok(&run, 2, 2);
	expect_row(&run, 1, 2, "\xc3\xa9", "\xe2\x82\xac\xf0\x9f\x98\x80", NULL);
	run_free(&run);
}
END_TEST

START_TEST(test_nul_byte)
{
	static const char data[] = "a,b\n1,\0x\n";
	struct run run;
	run_bytes(&run, data, sizeof(data) - 1, ',', GR_ENC_UTF8);
	expect_error(&run, 2, "NUL");
	run_free(&run);
	/* UTF-16LE is full of NULs */
	static const char utf16[] = "a\0,\0b\0\n\0";
	run_bytes(&run, utf16, sizeof(utf16) - 1, ',', GR_ENC_UTF8);
	expect_error(&run, 1, "NUL");
	run_free(&run);
	run_bytes(&run, data, sizeof(data) - 1, ',', GR_ENC_WINDOWS_1252);
	expect_error(&run, 2, "NUL");
	run_free(&run);
}
END_TEST

/* ---- malformed quoting --------------------------------------------------- */

START_TEST(test_unbalanced_quote_at_eof)
{
	struct run run;
	/* the quote opens on line 2 and never closes */
	run_text(&run, "a,b\n1,\"open\n2,3\n4,5\n", ',', GR_ENC_UTF8);
	expect_error(&run, 2, "");
	run_free(&run);
	run_text(&run, "a,b\n\"x", ',', GR_ENC_UTF8);
	expect_error(&run, 2, "");
	run_free(&run);
}
END_TEST

START_TEST(test_stray_quote)
{
	struct run run;
	run_text(&run, "a,b\n1,2\n1,x\"y\n", ',', GR_ENC_UTF8);
	expect_error(&run, 3, "");
	run_free(&run);
	/* text after a closing quote */
	run_text(&run, "a,b\n\"x\"y,2\n", ',', GR_ENC_UTF8);
	expect_error(&run, 2, "");
	run_free(&run);
	/* a space before an opening quote (the ING sample that others reject) */
	run_text(&run, "a,b\n1, \"x\"\n", ',', GR_ENC_UTF8);
	expect_error(&run, 2, "");
	run_free(&run);
}
END_TEST

/* ---- limits ---------------------------------------------------------------- */

static char *field_file(size_t field_len, bool quoted, size_t *len)
{
	/* "a\n" + field + "\n" + "b\n" */
	size_t n = 2 + field_len + (quoted ? 2 : 0) + 1 + 2;
	char *data = malloc(n);
	ck_assert_ptr_nonnull(data);
	size_t o = 0;
	data[o++] = 'a';
	data[o++] = '\n';
	if (quoted)
		data[o++] = '"';
	memset(data + o, 'x', field_len);
	o += field_len;
	if (quoted)
		data[o++] = '"';
	data[o++] = '\n';
	data[o++] = 'b';
	data[o++] = '\n';
	*len = o;
	return data;
}

START_TEST(test_field_at_limit)
{
	for (int quoted = 0; quoted < 2; quoted++) {
		size_t len;
		char *data = field_file(GR_CSV_MAX_FIELD, quoted, &len);
		struct run run;
		run_bytes(&run, data, len, ',', GR_ENC_UTF8);
		expect_ok(&run, 3, 3);
		ck_assert_uint_eq(strlen(run.rows.recs[1].fields[0]), GR_CSV_MAX_FIELD);
		ck_assert_int_eq(run.rows.recs[2].line, 3);
		char want[65];
		sha256_hex(want, data, len);
		ck_assert_str_eq(run.input.sha256, want);
		run_free(&run);
		free(data);
	}
}
END_TEST

START_TEST(test_field_over_limit)
{
	for (int quoted = 0; quoted < 2; quoted++) {
		size_t len;
		char *data = field_file(GR_CSV_MAX_FIELD + 1, quoted, &len);
		struct run run;
		run_bytes(&run, data, len, ',', GR_ENC_UTF8);
		ck_assert_msg(run.status == GR_E_INPUT,
		              "a %s field of %d bytes was accepted (limit %d)",
		              quoted ? "quoted" : "unquoted", GR_CSV_MAX_FIELD + 1,
		              GR_CSV_MAX_FIELD);
		ck_assert_ptr_nonnull(ut_find_diag(&run.diags, 2, ""));
		run_free(&run);
		free(data);
	}
}
END_TEST

/* ---- manifest: SHA-256 and lines ---------------------------------------- */

START_TEST(test_sha256_and_lines)
{
	/* Several read blocks (the reader reads 64 KiB at a time), CRLF, a
	 * BOM, quoted newlines and a last line without a newline. */
	size_t cap = 400000, len = 0;
	char *data = malloc(cap);
	ck_assert_ptr_nonnull(data);
	len += (size_t)snprintf(data, cap, "\xef\xbb\xbf" "id;text\r\n");
	long lines = 1;
	int records = 1;
	for (int i = 0; len + 200 < cap; i++) {
		if (i % 100 == 7) {
			len += (size_t)snprintf(data + len, cap - len,
			                        "%d;\"two\r\nlines\"\r\n", i);
			lines += 2;
		} else {
			len += (size_t)snprintf(data + len, cap - len,
			                        "%d;row %d with some text\r\n", i, i);
			lines += 1;
		}
		records++;
	}
	len += (size_t)snprintf(data + len, cap - len, "last;no newline");
	lines++;
	records++;
	struct run run;
	run_bytes(&run, data, len, ';', GR_ENC_UTF8);
	expect_ok(&run, records, lines);
	expect_row(&run, (size_t)records - 1, lines, "last", "no newline", NULL);
	char want[65];
	sha256_hex(want, data, len);
	ck_assert_str_eq(run.input.sha256, want);
	run_free(&run);
	free(data);
}
END_TEST

/* A CRLF file whose first read block (64 KiB) happens to end between the
 * '\r' and the '\n' of the first line: it is still a CRLF file of three
 * lines. */
START_TEST(test_crlf_split_at_block_boundary)
{
	size_t first = 65535; /* bytes 0..65534 text, 65535 '\r', 65536 '\n' */
	size_t len = first + 2 + strlen("1\r\n2\r\n");
	char *data = malloc(len + 1);
	ck_assert_ptr_nonnull(data);
	memset(data, 'h', first);
	memcpy(data + first, "\r\n1\r\n2\r\n", len - first + 1);
	struct run run;
	run_bytes(&run, data, len, ',', GR_ENC_UTF8);
	free(data);
	enum gr_status st = run.status;
	long lines = run.input.lines;
	size_t rows = run.rows.count;
	long line2 = rows > 1 ? run.rows.recs[1].line : 0;
	long line3 = rows > 2 ? run.rows.recs[2].line : 0;
	bool fields_ok = rows == 3 && strcmp(run.rows.recs[1].fields[0], "1") == 0 &&
	                 strcmp(run.rows.recs[2].fields[0], "2") == 0;
	run_free(&run);
	ck_assert_int_eq(st, GR_OK);
	ck_assert_msg(rows == 3 && fields_ok, "%zu rows", rows);
	ck_assert_msg(line2 == 2 && line3 == 3, "records on lines %ld and %ld, "
	              "expected 2 and 3", line2, line3);
	ck_assert_msg(lines == 3, "%ld lines, expected 3", lines);
}
END_TEST

START_TEST(test_stop_from_callback)
{
	struct run run;
	memset(&run, 0, sizeof(run));
	run.dir = ut_mkdir("csv");
	run.path = ut_write(run.dir, "in.csv", "a\n1\n2\n3\n");
	run.input.path = run.path;
	run.rows.stop_after = 2;
	struct gr_csv_options opt = { .delimiter = ',', .encoding = GR_ENC_UTF8 };
	run.status = gr_csv_read(&run.input, &opt, collect, &run.rows, &run.diags);
	/* "the reader then reports no error itself", and no further row is
	 * delivered (the status is not specified for this case) */
	ck_assert_uint_eq(run.diags.count, 0);
	ck_assert_uint_eq(run.rows.count, 2);
	run_free(&run);
}
END_TEST

START_TEST(test_missing_file)
{
	struct gr_input in = { .path = (char *)"/nonexistent/grantrec/x.csv" };
	struct gr_diags diags = GR_DIAGS_INIT;
	struct rows rows = {0};
	struct gr_csv_options opt = { .delimiter = ',', .encoding = GR_ENC_UTF8 };
	ck_assert_int_eq(gr_csv_read(&in, &opt, collect, &rows, &diags), GR_E_INPUT);
	ck_assert_uint_eq(diags.errors, 1);
	ck_assert_str_eq(diags.items[0].file, in.path);
	gr_diags_release(&diags);
	rows_free(&rows);
}
END_TEST

/* ---- block boundaries ------------------------------------------------------
 *
 * The reader reads 64 KiB (65,536 bytes) at a time and handles the complete
 * lines of each block together; these fixtures put a record, a line end or a
 * character across the end of the first block (bytes 0..65535) and check
 * the fields and lines after it. Offsets are worked out in the comments. */

#define BLOCK_END 65536 /* the first byte of the second block */

struct fixture {
	char *data;
	size_t len, cap;
};

static void fx_add(struct fixture *f, const void *p, size_t n)
{
	if (f->len + n + 1 > f->cap) {
		f->cap = (f->len + n + 1) * 2;
		f->data = realloc(f->data, f->cap);
		ck_assert_ptr_nonnull(f->data);
	}
	memcpy(f->data + f->len, p, n);
	f->len += n;
	f->data[f->len] = '\0';
}

static void fx_text(struct fixture *f, const char *text)
{
	fx_add(f, text, strlen(text));
}

static void fx_repeat(struct fixture *f, const char *text, size_t times)
{
	for (size_t i = 0; i < times; i++)
		fx_text(f, text);
}

static char *repeated(char c, size_t n, const char *tail)
{
	char *s = malloc(n + strlen(tail) + 1);
	ck_assert_ptr_nonnull(s);
	memset(s, c, n);
	strcpy(s + n, tail);
	return s;
}

/* An unquoted line of 70,002 bytes runs from the first block into the
 * second: "h\n" is bytes 0-1, line 2 is bytes 2-70005. */
START_TEST(test_record_across_blocks)
{
	struct fixture f = {0};
	char *a = repeated('a', 70000, "");
	fx_text(&f, "h\n");
	fx_text(&f, a);
	fx_text(&f, ",b\nc,d\n");
	struct run run;
	run_bytes(&run, f.data, f.len, ',', GR_ENC_UTF8);
	expect_ok(&run, 3, 3);
	expect_row(&run, 0, 1, "h", NULL);
	expect_row(&run, 1, 2, a, "b", NULL);
	expect_row(&run, 2, 3, "c", "d", NULL);
	run_free(&run);
	free(a);
	free(f.data);
}
END_TEST

/* A quoted field with two line breaks, cut by the end of the first block.
 * "id,text\n" is 8 bytes, then 16,380 lines "r,x\n" of 4 bytes: the record
 * q,"one\ntwo\nthree" starts at byte 8 + 16380 * 4 = 65528 on line 16382,
 * "two" starts at byte 65535 (its 't' is the first block's last byte), the
 * record ends on line 16384 and the next one is on line 16385. */
START_TEST(test_quoted_line_breaks_across_blocks)
{
	struct fixture f = {0};
	fx_text(&f, "id,text\n");
	fx_repeat(&f, "r,x\n", 16380);
	ck_assert_uint_eq(f.len, 65528);
	fx_text(&f, "q,\"one\ntwo\nthree\"\nafter,1\n");
	ck_assert_int_eq(f.data[BLOCK_END - 1], 't');
	struct run run;
	run_bytes(&run, f.data, f.len, ',', GR_ENC_UTF8);
	expect_ok(&run, 16383, 16385);
	expect_row(&run, 16380, 16381, "r", "x", NULL);
	expect_row(&run, 16381, 16382, "q", "one\ntwo\nthree", NULL);
	expect_row(&run, 16382, 16385, "after", "1", NULL);
	run_free(&run);
	free(f.data);

	/* The same with CRLF, the CRLF inside the quotes cut in two: "id;text\r\n"
	 * is 9 bytes, 13,104 lines "r;x\r\n" of 5 bytes end at byte 65529, the
	 * record q;"one\r\ntwo" starts there on line 13106, its '\r' is byte
	 * 65535 and its '\n' byte 65536; the next record is on line 13108. */
	memset(&f, 0, sizeof(f));
	fx_text(&f, "id;text\r\n");
	fx_repeat(&f, "r;x\r\n", 13104);
	ck_assert_uint_eq(f.len, 65529);
	fx_text(&f, "q;\"one\r\ntwo\"\r\nafter;1\r\n");
	ck_assert_int_eq(f.data[BLOCK_END - 1], '\r');
	ck_assert_int_eq(f.data[BLOCK_END], '\n');
	run_bytes(&run, f.data, f.len, ';', GR_ENC_UTF8);
	expect_ok(&run, 13107, 13108);
	expect_row(&run, 13105, 13106, "q", "one\r\ntwo", NULL);
	expect_row(&run, 13106, 13108, "after", "1", NULL);
	run_free(&run);
	free(f.data);
}
END_TEST

/* A CRLF line end cut by the end of the block, far from the start of the
 * file (the line end is known by then): "h\r\n" and 21,843 lines "x\r\n"
 * end at byte 3 + 21843 * 3 = 65532, "yyy" is bytes 65532-65534 on line
 * 21845, its '\r' is byte 65535 and its '\n' byte 65536. */
START_TEST(test_crlf_across_blocks_later_line)
{
	struct fixture f = {0};
	fx_text(&f, "h\r\n");
	fx_repeat(&f, "x\r\n", 21843);
	fx_text(&f, "yyy\r\nz\r\n");
	ck_assert_int_eq(f.data[BLOCK_END - 1], '\r');
	struct run run;
	run_bytes(&run, f.data, f.len, ',', GR_ENC_UTF8);
	expect_ok(&run, 21846, 21846);
	expect_row(&run, 21844, 21845, "yyy", NULL);
	expect_row(&run, 21845, 21846, "z", NULL);
	run_free(&run);
	free(f.data);
}
END_TEST

/* Characters cut by the end of the block: "h\n" then `lead` 'a's put the
 * character's first byte at byte 2 + lead. */
START_TEST(test_character_across_blocks)
{
	static const struct {
		const char *bytes;   /* as written */
		const char *utf8;    /* as read */
		size_t before;       /* its bytes in the first block */
		enum gr_encoding enc;
	} cases[] = {
		{"\xc3\xa9", "\xc3\xa9", 1, GR_ENC_UTF8},                 /* é 1|1 */
		{"\xe2\x82\xac", "\xe2\x82\xac", 1, GR_ENC_UTF8},         /* € 1|2 */
		{"\xe2\x82\xac", "\xe2\x82\xac", 2, GR_ENC_UTF8},         /* € 2|1 */
		{"\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80", 3, GR_ENC_UTF8}, /* 3|1 */
		{"\x80", "\xe2\x82\xac", 1, GR_ENC_WINDOWS_1252},         /* € last */
		{"\xe9", "\xc3\xa9", 0, GR_ENC_WINDOWS_1252},             /* é first */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t lead = BLOCK_END - 2 - cases[i].before;
		char *a = repeated('a', lead, "");
		struct fixture f = {0};
		fx_text(&f, "h\n");
		fx_text(&f, a);
		fx_text(&f, cases[i].bytes);
		fx_text(&f, ";z\nend\n");
		char *want = repeated('a', lead, cases[i].utf8);
		struct run run;
		run_bytes(&run, f.data, f.len, ';', cases[i].enc);
		expect_ok(&run, 3, 3);
		expect_row(&run, 1, 2, want, "z", NULL);
		expect_row(&run, 2, 3, "end", NULL);
		run_free(&run);
		free(want);
		free(a);
		free(f.data);
	}
}
END_TEST

/* An invalid byte in the second block: "h\n" and 20,000 lines "1,2\n" fill
 * lines 1-20001 (80,002 bytes); line 20002 is "ab,<FF>", the byte at column
 * 4. Every record before it is handed over first. */
START_TEST(test_encoding_error_in_later_block)
{
	struct fixture f = {0};
	fx_text(&f, "h\n");
	fx_repeat(&f, "1,2\n", 20000);
	fx_text(&f, "ab,\xff\n3,4\n");
	struct run run;
	run_bytes(&run, f.data, f.len, ',', GR_ENC_UTF8);
	expect_error(&run, 20002, "byte 0xFF at column 4");
	ck_assert_uint_eq(run.diags.count, 1);
	ck_assert_uint_eq(run.rows.count, 20001);
	ck_assert_int_eq(run.rows.recs[20000].line, 20001);
	ck_assert_int_eq(run.input.lines, 20002);
	run_free(&run);

	/* Windows-1252: 0x9D is undefined, column 4 as well */
	f.data[f.len - 6] = (char)0x9d; /* the 0xFF */
	run_bytes(&run, f.data, f.len, ',', GR_ENC_WINDOWS_1252);
	expect_error(&run, 20002, "byte 0x9D at column 4");
	ck_assert_uint_eq(run.rows.count, 20001);
	run_free(&run);
	free(f.data);
}
END_TEST

/* Problems are reported line by line, the first line's first: within one
 * block, a quoting error before an encoding error, an encoding error before
 * a NUL on a later line; on one line a NUL wins over an invalid byte before
 * it (the NUL says more: UTF-16). */
START_TEST(test_first_problem_by_line)
{
	struct run run;
	run_text(&run, "a,b\n1,x\"y\n\xff\n", ',', GR_ENC_UTF8);
	expect_error(&run, 2, "malformed quoting at column 4");
	ck_assert_uint_eq(run.diags.count, 1);
	ck_assert_uint_eq(run.rows.count, 1);
	run_free(&run);

	static const char later_nul[] = "a,b\n\xff\n1,\0\n";
	run_bytes(&run, later_nul, sizeof(later_nul) - 1, ',', GR_ENC_UTF8);
	expect_error(&run, 2, "invalid UTF-8: byte 0xFF at column 1");
	ck_assert_uint_eq(run.diags.count, 1);
	run_free(&run);

	static const char same_line[] = "a,b\n1,\xff\0\n";
	run_bytes(&run, same_line, sizeof(same_line) - 1, ',', GR_ENC_UTF8);
	expect_error(&run, 2, "NUL byte at column 4");
	ck_assert_uint_eq(run.diags.count, 1);
	run_free(&run);
	run_bytes(&run, same_line, sizeof(same_line) - 1, ',',
	          GR_ENC_WINDOWS_1252);
	expect_error(&run, 2, "NUL byte at column 4");
	run_free(&run);

	/* after a BOM, columns count from the first character */
	run_text(&run, "\xef\xbb\xbf" "a,\xff\n", ',', GR_ENC_UTF8);
	expect_error(&run, 1, "byte 0xFF at column 3");
	run_free(&run);
}
END_TEST

/* A file that is a byte-order mark and nothing else is one blank line. */
START_TEST(test_bom_alone)
{
	struct run run;
	run_text(&run, "\xef\xbb\xbf", ',', GR_ENC_UTF8);
	expect_ok(&run, 0, 1);
	run_free(&run);
	run_text(&run, "\xef\xbb\xbf\r\n", ',', GR_ENC_UTF8);
	expect_ok(&run, 0, 1);
	run_free(&run);
}
END_TEST

/* The reader's Windows-1252 table against the C library's converter, byte
 * by byte: the same UTF-8, and the same five bytes refused. */
START_TEST(test_windows_1252_table)
{
	iconv_t cd = iconv_open("UTF-8", "WINDOWS-1252");
	ck_assert_msg(cd != (iconv_t)-1, "iconv has no WINDOWS-1252");
	int refused = 0;
	for (int b = 1; b < 256; b++) {
		if (b == '\n' || b == '\r' || b == ',' || b == '"')
			continue;
		char in[1] = {(char)b}, want[8] = "x";
		char *ip = in, *op = want + 1;
		size_t il = 1, ol = sizeof(want) - 2;
		iconv(cd, NULL, NULL, NULL, NULL);
		bool ok = iconv(cd, &ip, &il, &op, &ol) != (size_t)-1;
		*op = '\0';
		char text[8] = {'h', '\n', 'x', (char)b, '\n', 0};
		struct run run;
		run_text(&run, text, ',', GR_ENC_WINDOWS_1252);
		if (ok) {
			expect_ok(&run, 2, 2);
			expect_row(&run, 1, 2, want, NULL);
		} else {
			char frag[40];
			snprintf(frag, sizeof(frag), "byte 0x%02X at column 2", b);
			expect_error(&run, 2, frag);
			refused++;
		}
		run_free(&run);
	}
	iconv_close(cd);
	ck_assert_int_eq(refused, 5); /* 0x81 0x8D 0x8F 0x90 0x9D */
}
END_TEST

static Suite *csvread_suite(void)
{
	Suite *s = suite_create("csvread");
	TCase *tc = tcase_create("lines");
	tcase_add_test(tc, test_lf);
	tcase_add_test(tc, test_crlf);
	tcase_add_test(tc, test_cr_only);
	tcase_add_test(tc, test_last_line_without_newline);
	tcase_add_test(tc, test_empty_file);
	tcase_add_test(tc, test_quoted_newline);
	tcase_add_test(tc, test_doubled_quotes);
	tcase_add_test(tc, test_spaces_kept);
	tcase_add_test(tc, test_blank_lines_skipped);
	tcase_add_test(tc, test_delimiters);
	suite_add_tcase(s, tc);
	tc = tcase_create("encoding");
	tcase_add_test(tc, test_bom_stripped);
	tcase_add_test(tc, test_bom_with_windows_1252);
	tcase_add_test(tc, test_windows_1252);
	tcase_add_test(tc, test_windows_1252_undefined_byte);
	tcase_add_test(tc, test_invalid_utf8);
	tcase_add_test(tc, test_valid_utf8);
	tcase_add_test(tc, test_nul_byte);
	suite_add_tcase(s, tc);
	tc = tcase_create("quoting");
	tcase_add_test(tc, test_unbalanced_quote_at_eof);
	tcase_add_test(tc, test_stray_quote);
	suite_add_tcase(s, tc);
	tc = tcase_create("limits");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_field_at_limit);
	tcase_add_test(tc, test_field_over_limit);
	suite_add_tcase(s, tc);
	tc = tcase_create("manifest");
	tcase_add_test(tc, test_sha256_and_lines);
	tcase_add_test(tc, test_crlf_split_at_block_boundary);
	tcase_add_test(tc, test_stop_from_callback);
	tcase_add_test(tc, test_missing_file);
	suite_add_tcase(s, tc);
	tc = tcase_create("blocks");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_record_across_blocks);
	tcase_add_test(tc, test_quoted_line_breaks_across_blocks);
	tcase_add_test(tc, test_crlf_across_blocks_later_line);
	tcase_add_test(tc, test_character_across_blocks);
	tcase_add_test(tc, test_encoding_error_in_later_block);
	tcase_add_test(tc, test_first_problem_by_line);
	tcase_add_test(tc, test_bom_alone);
	tcase_add_test(tc, test_windows_1252_table);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return ut_main(csvread_suite());
}
