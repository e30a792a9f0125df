#include "input/csvread.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* libcsv 3.0.3 (libcsv.c) keeps its parser state in struct csv_parser;
 * this value means "inside a field", which with `quoted` set is inside
 * quotes. The header does not name it. */
#define LIBCSV_FIELD_BEGUN 2

struct reader {
	struct gr_input *input;
	const struct gr_csv_options *options;
	gr_csv_row_fn on_row;
	void *ctx;
	struct gr_diags *diags;
	enum gr_status status;
	bool stopped;

	struct csv_parser parser;
	iconv_t to_utf8;       /* (iconv_t)-1 unless windows-1252 */
	char *converted;       /* one physical line in UTF-8 */
	size_t converted_cap;

	long line;             /* physical line being fed */
	char terminator;       /* the file's line end: '\n', or '\r' alone */
	long record_start;     /* 0: between records */

	/* Fields of the current record, packed in one arena. */
	char *arena;
	size_t arena_len, arena_cap;
	size_t *offsets;
	size_t nfields, offsets_cap;
	const char **fields;
	size_t fields_cap;
	bool oom;
	bool field_too_long;
};

static void on_field(void *data, size_t len, void *ctx)
{
	struct reader *r = ctx;
	if (r->oom || r->stopped || r->field_too_long)
		return;
	if (len > GR_CSV_MAX_FIELD) {
		r->field_too_long = true;
		return;
	}
	/* Checked here, grown rarely: this runs for every field. */
	if ((r->arena_len + len + 1 > r->arena_cap &&
	     !gr_grow((void **)&r->arena, &r->arena_cap, r->arena_len + len + 1,
	              1)) ||
	    (r->nfields + 1 > r->offsets_cap &&
	     !gr_grow((void **)&r->offsets, &r->offsets_cap, r->nfields + 1,
	              sizeof(*r->offsets)))) {
		r->oom = true;
		return;
	}
	r->offsets[r->nfields++] = r->arena_len;
	if (len)
		memcpy(r->arena + r->arena_len, data, len);
	r->arena[r->arena_len + len] = '\0';
	r->arena_len += len + 1;
}

static void on_row_end(int terminator, void *ctx)
{
	(void)terminator;
	struct reader *r = ctx;
	long start = r->record_start ? r->record_start : r->line;
	r->record_start = 0;
	size_t n = r->nfields;
	r->nfields = 0;
	r->arena_len = 0;
	if (r->oom || r->stopped || r->field_too_long)
		return;
	bool blank = true;
	for (size_t i = 0; i < n && blank; i++)
		blank = r->arena[r->offsets[i]] == '\0';
	if (blank)
		return; /* a row of empty fields (";;;;") is not a record */
	if (!gr_grow((void **)&r->fields, &r->fields_cap, n, sizeof(*r->fields))) {
		r->oom = true;
		return;
	}
	for (size_t i = 0; i < n; i++)
		r->fields[i] = r->arena + r->offsets[i];
	struct gr_csv_row row = {
		.nfields = n, .fields = r->fields, .line = start,
	};
	if (!r->on_row(r->ctx, &row))
		r->stopped = true;
}

/* Length of the valid UTF-8 prefix of s[0..n). */
static size_t utf8_valid_prefix(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		/* Ledger lines are nearly all ASCII: eight bytes at a time while
		 * none has its high bit set (this loop was most of feed_line). */
		uint64_t word;
		while (i + 8 <= n) {
			memcpy(&word, s + i, 8);
			if (word & UINT64_C(0x8080808080808080))
				break;
			i += 8;
		}
		if (i >= n)
			break;
		unsigned char c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t len;
		unsigned min;
		unsigned cp;
		if (c >= 0xc2 && c <= 0xdf) { len = 2; cp = c & 0x1f; min = 0x80; }
		else if (c >= 0xe0 && c <= 0xef) { len = 3; cp = c & 0x0f; min = 0x800; }
		else if (c >= 0xf0 && c <= 0xf4) { len = 4; cp = c & 0x07; min = 0x10000; }
		else return i;
		if (i + len > n)
			return i;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += len;
	}
	return n;
}

/* Converts one Windows-1252 line into r->converted; false on a byte that
 * Windows-1252 leaves undefined (reported) or on memory exhaustion. */
static bool convert_line(struct reader *r, const char *line, size_t len,
                         const char **out, size_t *out_len)
{
	if (!gr_grow((void **)&r->converted, &r->converted_cap, len * 3 + 1, 1)) {
		r->oom = true;
		return false;
	}
	char *in = (char *)line;
	size_t in_left = len;
	char *dst = r->converted;
	size_t dst_left = r->converted_cap;
	iconv(r->to_utf8, NULL, NULL, NULL, NULL);
	if (iconv(r->to_utf8, &in, &in_left, &dst, &dst_left) == (size_t)-1) {
		gr_error(r->diags, r->input->path, r->line,
		         "byte 0x%02X at column %zu is not a Windows-1252 "
		         "character (the file is declared encoding = windows-1252)",
		         (unsigned char)*in, (size_t)(in - line) + 1);
		return false;
	}
	*out = r->converted;
	*out_len = (size_t)(dst - r->converted);
	return true;
}

static bool is_blank_line(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return false;
	return true;
}

static int is_lf(unsigned char c);
static int is_cr(unsigned char c);

/* Handles one physical line, terminator included. False stops the file. */
static bool feed_line(struct reader *r, const char *line, size_t len)
{
	r->line++;
	size_t body = len;
	while (body > 0 && (line[body - 1] == '\n' || line[body - 1] == '\r'))
		body--;
	const char *ending = line + body;   /* the line's own end, ASCII */
	size_t ending_len = len - body;
	if (r->line == 1 && len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0) {
		if (r->options->encoding != GR_ENC_UTF8) {
			gr_error(r->diags, r->input->path, 1,
			         "the file starts with a UTF-8 byte-order mark but is "
			         "declared encoding = windows-1252 (set encoding = utf-8)");
			return false;
		}
		line += 3;
		len -= 3;
		body -= 3;
	}
	const char *nul = memchr(line, '\0', body);
	if (nul) {
		gr_error(r->diags, r->input->path, r->line,
		         "NUL byte at column %zu: this is not a text file, or it is "
		         "UTF-16 (export it as UTF-8 or Windows-1252)",
		         (size_t)(nul - line) + 1);
		return false;
	}
	if (r->options->encoding == GR_ENC_UTF8) {
		size_t ok = utf8_valid_prefix((const unsigned char *)line, body);
		if (ok < body) {
			gr_error(r->diags, r->input->path, r->line,
			         "invalid UTF-8: byte 0x%02X at column %zu (the file is "
			         "declared utf-8; if it was exported as Windows-1252, set "
			         "encoding = windows-1252)",
			         (unsigned char)line[ok], ok + 1);
			return false;
		}
	} else if (!convert_line(r, line, body, &line, &body)) {
		return false;
	}
	if (r->record_start == 0) {
		if (is_blank_line(line, body))
			return true;
		r->record_start = r->line;
	}
	/* Outside quotes, the line's own end is replaced by the file's one
	 * line end. libcsv ends a record at any CR or LF; a line that holds
	 * the other one (a CR inside an LF file) is parsed with the file's
	 * line end as the only one, so that it stays data and cannot split a
	 * line in two behind the line count's back. Only such lines pay for
	 * libcsv's call per byte. Inside quotes the end is kept as written. */
	bool stray_end = memchr(line, '\r', body) || memchr(line, '\n', body);
	if (stray_end)
		csv_set_term_func(&r->parser, r->terminator == '\r' ? is_cr : is_lf);
	size_t used = csv_parse(&r->parser, line, body, on_field, on_row_end, r);
	size_t want = body;
	if (used == body && !r->oom && !r->stopped) {
		bool in_quotes = r->parser.quoted &&
		                 r->parser.pstate == LIBCSV_FIELD_BEGUN;
		const char *end = in_quotes && ending_len ? ending : &r->terminator;
		size_t end_len = in_quotes && ending_len ? ending_len : 1;
		want += end_len;
		used += csv_parse(&r->parser, end, end_len, on_field, on_row_end, r);
	}
	if (stray_end)
		csv_set_term_func(&r->parser, NULL);
	if (r->oom)
		return false;
	if (used < want && !r->stopped) {
		gr_error(r->diags, r->input->path, r->line,
		         "malformed quoting at column %zu: a '\"' inside an unquoted "
		         "field, or text after a closing quote (a field that holds "
		         "quotes must be quoted, with each quote doubled)",
		         used + 1);
		return false;
	}
	if (r->field_too_long || r->parser.entry_pos > GR_CSV_MAX_FIELD) {
		/* Still inside a quoted field after a whole line: the quote may
		 * never close. A long field on one line is simply too long. */
		bool open_quote = !r->field_too_long;
		gr_error(r->diags, r->input->path, r->record_start ? r->record_start
		         : r->line, "a field longer than %d bytes%s",
		         GR_CSV_MAX_FIELD, open_quote ? " (an unclosed quote?)" : "");
		return false;
	}
	return !r->stopped;
}

static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static int is_lf(unsigned char c)
{
	return c == '\n';
}

static int is_cr(unsigned char c)
{
	return c == '\r';
}

static void *csv_realloc(void *p, size_t n)
{
	return gr_realloc(p, n);
}

enum gr_status gr_csv_read(struct gr_input *input,
                           const struct gr_csv_options *options,
                           gr_csv_row_fn on_row, void *ctx,
                           struct gr_diags *diags)
{
	struct reader r = {
		.input = input, .options = options, .on_row = on_row, .ctx = ctx,
		.diags = diags, .status = GR_OK, .to_utf8 = (iconv_t)-1,
	};
	FILE *f = fopen(input->path, "rb");
	if (!f) {
		gr_error(diags, input->path, 0, "cannot open: %s", strerror(errno));
		return GR_E_INPUT;
	}
	if (csv_init(&r.parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		fclose(f);
		gr_error(diags, NULL, 0, "out of memory");
		return GR_E_SYSTEM;
	}
	csv_set_delim(&r.parser, (unsigned char)options->delimiter);
	csv_set_space_func(&r.parser, no_space);
	r.terminator = '\n';
	csv_set_realloc_func(&r.parser, csv_realloc);
	if (options->encoding == GR_ENC_WINDOWS_1252) {
		r.to_utf8 = iconv_open("UTF-8", "WINDOWS-1252");
		if (r.to_utf8 == (iconv_t)-1) {
			csv_free(&r.parser);
			fclose(f);
			gr_error(diags, NULL, 0, "iconv cannot convert from WINDOWS-1252");
			return GR_E_SYSTEM;
		}
	}
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	if (!md || !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
		r.oom = true;
	}

	enum { BLOCK = 1 << 16 };
	char *buf = gr_malloc(BLOCK);
	size_t buf_len = 0, buf_cap = BLOCK;
	if (!buf)
		r.oom = true;
	int terminator = 0; /* '\n' or '\r' once known */
	bool eof = false, failed = r.oom;
	while (!failed && !eof) {
		if (buf_len == buf_cap) {
			if (buf_cap >= GR_CSV_MAX_LINE) {
				gr_error(diags, input->path, r.line + 1,
				         "a line longer than %d bytes", GR_CSV_MAX_LINE);
				failed = true;
				break;
			}
			if (!gr_grow((void **)&buf, &buf_cap, buf_cap * 2, 1)) {
				r.oom = failed = true;
				break;
			}
		}
		size_t n = fread(buf + buf_len, 1, buf_cap - buf_len, f);
		if (n == 0) {
			if (ferror(f)) {
				gr_error(diags, input->path, 0, "cannot read: %s",
				         strerror(errno));
				failed = true;
				break;
			}
			eof = true;
		}
		EVP_DigestUpdate(md, buf + buf_len, n);
		buf_len += n;
		if (!terminator) {
			if (memchr(buf, '\n', buf_len))
				terminator = '\n';
			else {
				/* A CR decides only when the byte after it is known: the
				 * LF of a CRLF may still be in the next block. */
				char *cr = memchr(buf, '\r', buf_len);
				if (cr && (eof || cr + 1 < buf + buf_len)) {
					terminator = '\r';
					r.terminator = '\r';
				}
			}
		}
		size_t pos = 0;
		while (!failed && terminator) {
			char *nl = memchr(buf + pos, terminator, buf_len - pos);
			if (!nl)
				break;
			size_t len = (size_t)(nl - (buf + pos)) + 1;
			if (!feed_line(&r, buf + pos, len))
				failed = true;
			pos += len;
		}
		if (!failed && eof && pos < buf_len) {
			if (!feed_line(&r, buf + pos, buf_len - pos))
				failed = true;
			pos = buf_len;
		}
		memmove(buf, buf + pos, buf_len - pos);
		buf_len -= pos;
	}
	if (!failed && !r.stopped) {
		if (csv_fini(&r.parser, on_field, on_row_end, &r) != 0) {
			gr_error(diags, input->path, r.record_start ? r.record_start : r.line,
			         "a quoted field that starts here is never closed "
			         "(an unbalanced '\"')");
			failed = true;
		}
	}
	if (r.oom) {
		gr_error(diags, NULL, 0, "out of memory while reading '%s'",
		         input->path);
		r.status = GR_E_SYSTEM;
	} else if (failed) {
		r.status = GR_E_INPUT;
	}
	if (md) {
		unsigned char digest[32];
		EVP_DigestFinal_ex(md, digest, NULL);
		for (int i = 0; i < 32; i++)
			snprintf(input->sha256 + 2 * i, 3, "%02x", digest[i]);
		EVP_MD_CTX_free(md);
	}
	input->lines = r.line;
	free(buf);
	free(r.converted);
	free(r.arena);
	free(r.offsets);
	free(r.fields);
	if (r.to_utf8 != (iconv_t)-1)
		iconv_close(r.to_utf8);
	csv_free(&r.parser);
	fclose(f);
	return r.status;
}
