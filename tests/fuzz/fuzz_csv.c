/*
 * fuzz_csv: the CSV reader itself (src/input/csvread.c, gr_csv_read), in two
 * modes chosen by byte 0 bit 3.
 *
 * Raw mode: the rest of the input is the file. Whatever it holds, every
 * record handed over has at least one non-empty field, every field is
 * valid UTF-8 without NUL, no longer than the field limit, and records come
 * in file order with line numbers inside the file.
 *
 * Round-trip mode: the rest of the input is a table (rows split by 0x1E,
 * fields by 0x1F). The target writes it as a CSV file the documented way
 * (docs/formats.md section 3: quoting where needed, the chosen line end,
 * optionally a byte-order mark, Windows-1252 bytes) and checks that the
 * reader gives back exactly those rows, on exactly those physical lines,
 * except the rows the documentation says are skipped. A lost, split,
 * merged or altered row is a failure.
 *
 * Byte 0: bits 0-1 delimiter (, ; tab |), bit 2 encoding (utf-8,
 * windows-1252), bit 3 mode, bits 4-5 line end (LF, CRLF, CR, LF),
 * bit 6 a byte-order mark (utf-8 only), bit 7 no line end after the last
 * row. Byte 1 (round trip): bit 0 quote every field.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/csvread.h"
#include "fuzz_common.h"

static const char delimiters[] = {',', ';', '\t', '|'};

/* ---- growing byte buffers --------------------------------------------- */

struct buf {
	char *data;
	size_t len, cap;
};

static void put(struct buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		b->data = realloc(b->data, cap);
		if (!b->data)
			abort();
		b->cap = cap;
	}
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static void putc_(struct buf *b, char c)
{
	put(b, &c, 1);
}

/* ---- checks common to both modes ----------------------------------------- */

static bool valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t len;
		unsigned cp, min;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			len = 2; cp = c & 0x1f; min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			len = 3; cp = c & 0x0f; min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			len = 4; cp = c & 0x07; min = 0x10000;
		} else {
			return false;
		}
		if (i + len > n)
			return false;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += len;
	}
	return true;
}

struct got_row {
	long line;
	size_t nfields;
	char **fields;
};

struct collector {
	struct got_row *rows;
	size_t count, cap;
	long last_line;
};

static bool on_row(void *ctx, const struct gr_csv_row *row)
{
	struct collector *c = ctx;
	FZ_CHECK(row->nfields >= 1, "a record with no field");
	FZ_CHECK(row->line >= 1, "line %ld", row->line);
	FZ_CHECK(row->line >= c->last_line, "record on line %ld after one on "
	         "line %ld", row->line, c->last_line);
	c->last_line = row->line;
	bool blank = true;
	for (size_t i = 0; i < row->nfields; i++) {
		size_t n = strlen(row->fields[i]);
		FZ_CHECK(n <= GR_CSV_MAX_FIELD, "a field of %zu bytes", n);
		FZ_CHECK(valid_utf8((const unsigned char *)row->fields[i], n),
		         "line %ld field %zu is not valid UTF-8", row->line, i + 1);
		blank = blank && n == 0;
	}
	FZ_CHECK(!blank, "line %ld: a record of empty fields was handed over",
	         row->line);
	if (c->count == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->rows = realloc(c->rows, c->cap * sizeof(*c->rows));
		if (!c->rows)
			abort();
	}
	struct got_row *g = &c->rows[c->count++];
	g->line = row->line;
	g->nfields = row->nfields;
	g->fields = calloc(row->nfields, sizeof(*g->fields));
	if (!g->fields)
		abort();
	for (size_t i = 0; i < row->nfields; i++)
		g->fields[i] = strdup(row->fields[i]);
	return true;
}

static void collector_free(struct collector *c)
{
	for (size_t i = 0; i < c->count; i++) {
		for (size_t k = 0; k < c->rows[i].nfields; k++)
			free(c->rows[i].fields[k]);
		free(c->rows[i].fields);
	}
	free(c->rows);
}

static struct fz_file file;
static bool file_ready;

static enum gr_status read_file(const void *bytes, size_t n, char delimiter,
                                enum gr_encoding enc, struct collector *c,
                                struct gr_input *in, struct gr_diags *diags)
{
	if (!file_ready) {
		fz_file_open(&file, "csv");
		file_ready = true;
	}
	fz_file_set(&file, bytes, n);
	in->path = file.path;
	struct gr_csv_options opt = { .delimiter = delimiter, .encoding = enc };
	enum gr_status st = gr_csv_read(in, &opt, on_row, c, diags);
	FZ_CHECK(st == GR_OK || st == GR_E_INPUT, "status %d", (int)st);
	FZ_CHECK((st == GR_OK) == (diags->errors == 0), "status %d with %zu "
	         "errors", (int)st, diags->errors);
	for (size_t i = 0; i < diags->count; i++)
		FZ_CHECK(diags->items[i].message && *diags->items[i].message,
		         "an empty message");
	FZ_CHECK(in->lines >= 0, "lines %ld", in->lines);
	if (c->count)
		FZ_CHECK(c->rows[c->count - 1].line <= in->lines || in->lines == 0,
		         "a record on line %ld of a file of %ld lines",
		         c->rows[c->count - 1].line, in->lines);
	return st;
}

/* ---- round trip ---------------------------------------------------------- */

/* Bytes above 0x7F stand for these characters, written in the file's
 * encoding; control bytes other than TAB, CR and LF are kept as they are
 * (they are valid in both encodings), NUL becomes 'N'. */
static const struct {
	unsigned char cp1252;
	const char *utf8;
} high[] = {
	{0xe9, "\xc3\xa9"},     /* é */
	{0x80, "\xe2\x82\xac"}, /* € */
	{0xfc, "\xc3\xbc"},     /* ü */
	{0xa0, "\xc2\xa0"},     /* no-break space */
	{0x92, "\xe2\x80\x99"}, /* ’ */
	{0xd1, "\xc3\x91"},     /* Ñ */
	{0x96, "\xe2\x80\x93"}, /* – */
	{0xa3, "\xc2\xa3"},     /* £ */
};

struct table {
	struct buf *fields;  /* each field: the expected UTF-8 text */
	struct buf *written; /* each field: its bytes in the file's encoding */
	size_t *row_fields;  /* fields per row */
	size_t nrows, nfields;
};

static void table_free(struct table *t)
{
	for (size_t i = 0; i < t->nfields; i++) {
		free(t->fields[i].data);
		free(t->written[i].data);
	}
	free(t->fields);
	free(t->written);
	free(t->row_fields);
}

static void build_table(struct table *t, const uint8_t *p, size_t n,
                        bool cp1252, bool no_lf)
{
	size_t rows = 1, fields = 1;
	for (size_t i = 0; i < n; i++) {
		rows += p[i] == 0x1e;
		fields += p[i] == 0x1e || p[i] == 0x1f;
	}
	t->fields = calloc(fields, sizeof(*t->fields));
	t->written = calloc(fields, sizeof(*t->written));
	t->row_fields = calloc(rows, sizeof(*t->row_fields));
	if (!t->fields || !t->written || !t->row_fields)
		abort();
	t->nrows = 1;
	t->nfields = 1;
	t->row_fields[0] = 1;
	put(&t->fields[0], "", 0);
	put(&t->written[0], "", 0);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];
		struct buf *f = &t->fields[t->nfields - 1];
		struct buf *w = &t->written[t->nfields - 1];
		if (c == 0x1e || c == 0x1f) {
			if (c == 0x1e)
				t->row_fields[t->nrows++] = 0;
			t->row_fields[t->nrows - 1]++;
			t->nfields++;
			put(&t->fields[t->nfields - 1], "", 0);
			put(&t->written[t->nfields - 1], "", 0);
			continue;
		}
		if (c == 0)
			c = 'N';
		if (c == '\n' && no_lf)
			c = 'L';
		if (c >= 0x80) {
			size_t k = c % (sizeof(high) / sizeof(high[0]));
			put(f, high[k].utf8, strlen(high[k].utf8));
			if (cp1252)
				putc_(w, (char)high[k].cp1252);
			else
				put(w, high[k].utf8, strlen(high[k].utf8));
		} else {
			putc_(f, (char)c);
			putc_(w, (char)c);
		}
	}
}

static void round_trip(const uint8_t *data, size_t size)
{
	unsigned char b0 = data[0];
	unsigned char b1 = size > 1 ? data[1] : 0;
	const uint8_t *body = data + (size > 1 ? 2 : 1);
	size_t body_len = size > 1 ? size - 2 : 0;
	char delim = delimiters[b0 & 3];
	bool cp1252 = b0 & 4;
	int ending = (b0 >> 4) & 3;
	const char *eol = ending == 1 ? "\r\n" : ending == 2 ? "\r" : "\n";
	bool bom = (b0 & 0x40) && !cp1252;
	bool last_eol = !(b0 & 0x80);
	bool quote_all = b1 & 1;

	/* With CR line ends the file must hold no LF, or it is an LF file
	 * with stray CRs (documented: one kind of line end per file). */
	struct table t;
	build_table(&t, body, body_len, cp1252, ending == 2);

	struct buf out = {0};
	if (bom)
		put(&out, "\xef\xbb\xbf", 3);
	size_t *starts = calloc(t.nrows, sizeof(*starts)); /* offset of each row */
	bool *skipped = calloc(t.nrows, sizeof(*skipped));
	if (!starts || !skipped)
		abort();
	size_t fi = 0;
	for (size_t r = 0; r < t.nrows; r++) {
		starts[r] = out.len;
		bool all_empty = true, all_blank = true;
		for (size_t k = 0; k < t.row_fields[r]; k++, fi++) {
			const struct buf *w = &t.written[fi];
			all_empty = all_empty && w->len == 0;
			bool quote = quote_all ||
				memchr(w->data, delim, w->len) ||
				memchr(w->data, '"', w->len) ||
				memchr(w->data, '\r', w->len) ||
				memchr(w->data, '\n', w->len);
			if (k)
				putc_(&out, delim);
			if (!quote) {
				put(&out, w->data, w->len);
				for (size_t i = 0; i < w->len; i++)
					all_blank = all_blank && (w->data[i] == ' ' ||
					                          w->data[i] == '\t');
			} else {
				all_blank = false;
				putc_(&out, '"');
				for (size_t i = 0; i < w->len; i++) {
					if (w->data[i] == '"')
						putc_(&out, '"');
					putc_(&out, w->data[i]);
				}
				putc_(&out, '"');
			}
			if (k && delim != '\t')
				all_blank = false;
		}
		/* Documented skips: a row of empty fields; a line of nothing but
		 * spaces and tabs. */
		skipped[r] = all_empty || all_blank;
		if (r + 1 < t.nrows || last_eol)
			put(&out, eol, strlen(eol));
	}
	/* One kind of line end per file: LF if the file holds one. */
	char mode = memchr(out.data, '\n', out.len) ? '\n' : '\r';

	struct collector c = {0};
	struct gr_input in = {0};
	struct gr_diags diags = GR_DIAGS_INIT;
	enum gr_status st = read_file(out.data, out.len, delim,
	                              cp1252 ? GR_ENC_WINDOWS_1252 : GR_ENC_UTF8,
	                              &c, &in, &diags);
	FZ_CHECK(st == GR_OK, "a well-formed file was refused: %s",
	         diags.count ? diags.items[0].message : "(no message)");
	size_t got = 0;
	fi = 0;
	for (size_t r = 0; r < t.nrows; r++) {
		size_t first = fi;
		fi += t.row_fields[r];
		if (skipped[r])
			continue;
		long line = 1;
		for (size_t i = 0; i < starts[r]; i++)
			line += out.data[i] == mode;
		FZ_CHECK(got < c.count, "row %zu (line %ld) is missing: %zu rows "
		         "read", r + 1, line, c.count);
		const struct got_row *g = &c.rows[got++];
		FZ_CHECK(g->line == line, "row %zu reported on line %ld, it starts "
		         "on line %ld", r + 1, g->line, line);
		FZ_CHECK(g->nfields == t.row_fields[r], "row %zu: %zu fields read, "
		         "%zu written", r + 1, g->nfields, t.row_fields[r]);
		for (size_t k = 0; k < g->nfields; k++)
			FZ_CHECK(strcmp(g->fields[k], t.fields[first + k].data) == 0,
			         "row %zu field %zu: read '%s', written '%s'", r + 1,
			         k + 1, g->fields[k], t.fields[first + k].data);
	}
	FZ_CHECK(got == c.count, "%zu rows read, %zu written", c.count, got);
	long lines = 1;
	for (size_t i = 0; i < out.len; i++)
		lines += out.data[i] == mode;
	if (out.len == 0 || out.data[out.len - 1] == mode ||
	    (mode == '\n' && out.len >= 1 && out.data[out.len - 1] == '\n'))
		lines--;
	FZ_CHECK(in.lines == lines, "%ld physical lines counted, the file has %ld",
	         in.lines, lines);

	collector_free(&c);
	gr_diags_release(&diags);
	free(starts);
	free(skipped);
	free(out.data);
	table_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 8) {
		round_trip(data, size);
		return 0;
	}
	struct collector c = {0};
	struct gr_input in = {0};
	struct gr_diags diags = GR_DIAGS_INIT;
	read_file(data + 1, size - 1, delimiters[data[0] & 3],
	          (data[0] & 4) ? GR_ENC_WINDOWS_1252 : GR_ENC_UTF8, &c, &in,
	          &diags);
	collector_free(&c);
	gr_diags_release(&diags);
	return 0;
}
